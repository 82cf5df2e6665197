package io.nexus.workflow.definition;

import com.google.re2j.Pattern;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * {@code pattern} and {@code patternProperties} of tenant-written schemas run on RE2: linear time in the input, so
 * {@code (a+)+$} against a long string cannot pin a thread the way a backtracking engine lets it. The price is RE2
 * syntax (no lookaround, no backreferences); such patterns are rejected at registration.
 */
final class Re2jRegularExpressions implements RegularExpressionFactory {

    static final Re2jRegularExpressions INSTANCE = new Re2jRegularExpressions();

    private Re2jRegularExpressions() {
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(regex);
        // JSON Schema patterns are not anchored: a match anywhere in the string counts.
        return value -> pattern.matcher(value).find();
    }
}
