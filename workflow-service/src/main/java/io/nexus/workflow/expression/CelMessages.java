package io.nexus.workflow.expression;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;

/**
 * Turns cel-java's messages into ones a workflow author can act on: operators by their written form ({@code '*'},
 * not {@code '_*_'}), positions as line and column of the author's text, no internal container names.
 */
final class CelMessages {

    private static final Pattern EVALUATION_PREFIX = Pattern.compile("^evaluation error at [^:]*:(\\d+): ",
            Pattern.DOTALL);
    private static final Pattern NO_OVERLOAD = Pattern.compile(
            "^No matching overload for function '([^']*)'\\.(?: Overload candidates: (.*))?$", Pattern.DOTALL);
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("_+_", "+"), Map.entry("_-_", "-"), Map.entry("_*_", "*"), Map.entry("_/_", "/"),
            Map.entry("_%_", "%"), Map.entry("_<_", "<"), Map.entry("_<=_", "<="), Map.entry("_>_", ">"),
            Map.entry("_>=_", ">="), Map.entry("_==_", "=="), Map.entry("_!=_", "!="), Map.entry("-_", "-"),
            Map.entry("!_", "!"), Map.entry("_[_]", "[]"), Map.entry("@in", "in"), Map.entry("_&&_", "&&"),
            Map.entry("_||_", "||"), Map.entry("_?_:_", "?:"));
    private static final Set<String> NUMERIC_OPERATORS = Set.of("+", "-", "*", "/", "%", "<", "<=", ">", ">=");

    private CelMessages() {
    }

    static String compileProblems(CelValidationException e) {
        Set<String> problems = new LinkedHashSet<>();
        for (CelIssue issue : e.getErrors()) {
            String message = operators(issue.getMessage()).replace(" (in container '')", "");
            problems.add(message + at(issue.getSourceLocation()));
        }
        return problems.isEmpty() ? "does not compile" : String.join("; ", problems);
    }

    static String evaluationProblem(String celMessage, String source) {
        if (celMessage == null || celMessage.isBlank()) {
            return "evaluation failed";
        }
        String message = celMessage.strip();
        String position = "";
        Matcher prefix = EVALUATION_PREFIX.matcher(message);
        if (prefix.find()) {
            position = at(source, Integer.parseInt(prefix.group(1)));
            message = message.substring(prefix.end());
        }
        Matcher noOverload = NO_OVERLOAD.matcher(message);
        if (noOverload.matches()) {
            String operator = OPERATORS.getOrDefault(noOverload.group(1), noOverload.group(1));
            message = "no matching overload for '" + operator + "' with these operand types";
            if (NUMERIC_OPERATORS.contains(operator)) {
                message += " (int and double do not mix: convert with double() or int())";
            }
        }
        if (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        return operators(message) + position;
    }

    private static String operators(String message) {
        String result = message;
        for (Map.Entry<String, String> operator : OPERATORS.entrySet()) {
            result = result.replace("'" + operator.getKey() + "'", "'" + operator.getValue() + "'");
        }
        return result;
    }

    private static String at(CelSourceLocation location) {
        if (location == null || location.equals(CelSourceLocation.NONE) || location.getLine() <= 0) {
            return "";
        }
        return location.getLine() == 1 ? " at column " + (location.getColumn() + 1)
                : " at line " + location.getLine() + ", column " + (location.getColumn() + 1);
    }

    /** CEL reports runtime positions as code point offsets into the source. */
    private static String at(String source, int offset) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < source.length() && seen < offset; i = source.offsetByCodePoints(i, 1), seen++) {
            if (source.codePointAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line == 1 ? " at column " + column : " at line " + line + ", column " + column;
    }
}
