package io.pgwarden.server.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Kubernetes objects of a rendered chart, parsed from Helm's multi-document YAML. */
final class Manifests {

    private final List<Map<String, Object>> objects;

    private Manifests(List<Map<String, Object>> objects) {
        this.objects = List.copyOf(objects);
    }

    static Manifests parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                objects.add(asMap(document));
            }
        }
        return new Manifests(objects);
    }

    List<Map<String, Object>> all() {
        return objects;
    }

    List<Map<String, Object>> all(String kind) {
        return objects.stream().filter(object -> kind.equals(object.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return all(kind).stream().filter(object -> name.equals(string(object, "metadata", "name"))).findFirst();
    }

    Map<String, Object> one(String kind, String name) {
        Optional<Map<String, Object>> object = find(kind, name);
        assertThat(object).as("%s %s among %s", kind, name, names()).isPresent();
        return object.get();
    }

    /** The only object of this kind. */
    Map<String, Object> one(String kind) {
        List<Map<String, Object>> matching = all(kind);
        assertThat(matching).as("objects of kind %s", kind).hasSize(1);
        return matching.get(0);
    }

    List<String> names() {
        return objects.stream().map(object -> object.get("kind") + "/" + string(object, "metadata", "name")).toList();
    }

    // ---- navigation in parsed YAML

    /** The value at a path of map keys; null when any step is missing. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    static Map<String, Object> map(Object root, String... path) {
        Object value = at(root, path);
        assertThat(value).as("map at %s", String.join(".", path)).isInstanceOf(Map.class);
        return asMap(value);
    }

    static List<Map<String, Object>> maps(Object root, String... path) {
        Object value = at(root, path);
        if (value == null) {
            return List.of();
        }
        assertThat(value).as("list at %s", String.join(".", path)).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(Manifests::asMap).toList();
    }

    static List<Object> list(Object root, String... path) {
        Object value = at(root, path);
        assertThat(value).as("list at %s", String.join(".", path)).isInstanceOf(List.class);
        return List.copyOf((List<?>) value);
    }

    static String string(Object root, String... path) {
        return Objects.toString(at(root, path), null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
