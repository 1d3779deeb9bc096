package io.pgwarden.server.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way the builder reads it, for structural tests where no engine runs:
 * comments dropped, continuation lines joined, here-documents attached to their instruction,
 * instructions grouped into build stages.
 */
record Dockerfile(List<Stage> stages) {

    /** {@code <<EOF}, {@code <<'EOF'}, {@code <<"EOF"}, {@code <<-EOF}. */
    private static final Pattern HEREDOC = Pattern.compile("<<-?([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\1");
    private static final Pattern FROM = Pattern.compile("(?i)(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");

    Dockerfile {
        stages = List.copyOf(stages);
    }

    /** One instruction: its keyword in upper case, its arguments, and its here-document, if any. */
    record Instruction(String keyword, String arguments, Optional<String> heredoc, int line) {
        Instruction {
            Objects.requireNonNull(keyword, "keyword");
            Objects.requireNonNull(arguments, "arguments");
            Objects.requireNonNull(heredoc, "heredoc");
        }

        /** The arguments of an exec-form instruction ({@code ["a", "b"]}), in order. */
        List<String> execForm() {
            String json = arguments.strip();
            int start = json.indexOf('[');
            if (start < 0 || !json.endsWith("]")) {
                return List.of();
            }
            List<String> parts = new ArrayList<>();
            Matcher element = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json.substring(start));
            while (element.find()) {
                parts.add(element.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
            return parts;
        }
    }

    /** A build stage: its base image, its name ({@code AS name}) and its instructions after FROM. */
    record Stage(String image, Optional<String> name, List<Instruction> instructions) {
        Stage {
            instructions = List.copyOf(instructions);
        }

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> matching = all(keyword);
            return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
        }
    }

    static Dockerfile parse(String text) {
        List<String> lines = text.lines().toList();
        List<Stage> stages = new ArrayList<>();
        String image = null;
        Optional<String> name = Optional.empty();
        List<Instruction> instructions = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            int start = i + 1;
            i++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            String current = line;
            while (current.endsWith("\\")) {
                logical.append(current, 0, current.length() - 1).append(' ');
                // Comment lines inside a continuation are skipped, as the builder does.
                while (i < lines.size() && lines.get(i).stripLeading().startsWith("#")) {
                    i++;
                }
                current = i < lines.size() ? lines.get(i++) : "";
            }
            logical.append(current);
            String instructionText = logical.toString().strip();
            Optional<String> heredoc = Optional.empty();
            Matcher marker = HEREDOC.matcher(instructionText);
            if (marker.find()) {
                String delimiter = marker.group(2);
                StringBuilder body = new StringBuilder();
                while (i < lines.size() && !lines.get(i).equals(delimiter)) {
                    body.append(lines.get(i++)).append('\n');
                }
                if (i == lines.size()) {
                    throw new IllegalArgumentException("line " + start + ": here-document " + delimiter + " is not closed");
                }
                i++;
                heredoc = Optional.of(body.toString());
            }
            String[] parts = instructionText.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1] : "";
            if (keyword.equals("FROM")) {
                if (image != null) {
                    stages.add(new Stage(image, name, instructions));
                }
                Matcher from = FROM.matcher(arguments);
                if (!from.matches()) {
                    throw new IllegalArgumentException("line " + start + ": cannot read FROM " + arguments);
                }
                image = from.group(1);
                name = Optional.ofNullable(from.group(2));
                instructions = new ArrayList<>();
            } else if (image == null) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException("line " + start + ": " + keyword + " before the first FROM");
                }
            } else {
                instructions.add(new Instruction(keyword, arguments, heredoc, start));
            }
        }
        if (image != null) {
            stages.add(new Stage(image, name, instructions));
        }
        return new Dockerfile(stages);
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream().filter(stage -> stage.name().equals(Optional.of(name))).findFirst()
                .orElseThrow(() -> new AssertionError("no stage named " + name));
    }

    /** Every instruction of every stage. */
    List<Instruction> instructions() {
        return stages.stream().flatMap(stage -> stage.instructions().stream()).toList();
    }
}
