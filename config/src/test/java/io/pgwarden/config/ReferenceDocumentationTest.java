package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** reference.conf is the operator's manual: every key in it must stay documented. */
class ReferenceDocumentationTest {

    /** A line that sets a key: {@code key = value}, {@code key: value}, {@code key {} or {@code key += value}. */
    private static final Pattern KEY_LINE = Pattern.compile("^\\s*([A-Za-z0-9_.\"-]+)\\s*(=|:|\\{|\\+=)");
    private static final Pattern KEBAB_CASE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private static List<String> lines;

    @BeforeAll
    static void readReference() throws IOException {
        try (InputStream in = SettingsLoader.class.getClassLoader().getResourceAsStream("reference.conf")) {
            assertThat(in).as("reference.conf on the classpath").isNotNull();
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void everyKeyHasACommentDirectlyAboveIt() {
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher key = KEY_LINE.matcher(lines.get(i));
            if (key.find() && (i == 0 || !isComment(lines.get(i - 1)))) {
                undocumented.add("line " + (i + 1) + ": " + lines.get(i).trim());
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyKeyIsKebabCase() {
        assertThat(keysOnLines()).isNotEmpty().allSatisfy(key -> assertThat(key).matches(KEBAB_CASE));
    }

    @Test
    void theLineScanSeesEveryKeyThatTypesafeConfigParses() {
        ConfigObject reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false)).root();
        assertThat(keysOnLines()).hasSize(countKeys(reference));
    }

    @Test
    void listElementKeysAreDocumentedAboveTheirList() {
        assertThat(commentAbove("listeners"))
                .contains("#   name ", "#   host ", "#   port ", "#   route ", "#   balance ", "#   fallback-to-primary ");
        assertThat(commentAbove("backends")).contains("#   name ", "#   host ", "#   port ", "#   priority ");
    }

    @Test
    void secretsDefaultToTheirEnvironmentVariables() {
        assertThat(lines).anySatisfy(line -> assertThat(line.trim())
                .isEqualTo("password = ${?PGWARDEN_MONITOR_PASSWORD}"));
        assertThat(lines).anySatisfy(line -> assertThat(line.trim())
                .isEqualTo("token = ${?PGWARDEN_ADMIN_TOKEN}"));
    }

    private static boolean isComment(String line) {
        String trimmed = line.trim();
        return trimmed.startsWith("#") || trimmed.startsWith("//");
    }

    private static List<String> keysOnLines() {
        List<String> keys = new ArrayList<>();
        for (String line : lines) {
            Matcher key = KEY_LINE.matcher(line);
            if (key.find()) {
                keys.add(key.group(1));
            }
        }
        return keys;
    }

    /** The comment block directly above the line that sets the key, joined. */
    private static String commentAbove(String key) {
        int index = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(key + " ")) {
                index = i;
                break;
            }
        }
        assertThat(index).as("line setting %s", key).isPositive();
        StringBuilder comment = new StringBuilder();
        for (int i = index - 1; i >= 0 && isComment(lines.get(i)); i--) {
            comment.insert(0, lines.get(i).trim() + "\n");
        }
        return comment.toString();
    }

    private static int countKeys(ConfigValue value) {
        int count = 0;
        if (value instanceof ConfigObject object) {
            // entrySet, not values(): Typesafe's values() is a set and merges equal values.
            for (var child : object.entrySet()) {
                count += 1 + countKeys(child.getValue());
            }
        } else if (value instanceof ConfigList list) {
            for (ConfigValue element : list) {
                count += countKeys(element);
            }
        }
        return count;
    }
}
