package io.nexus.workflow.definition;

import java.util.regex.Pattern;

/** The names of signals: what a wait node's {@code signal} declares and what a signal request may name. */
public final class SignalNames {

    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    private SignalNames() {
    }
}
