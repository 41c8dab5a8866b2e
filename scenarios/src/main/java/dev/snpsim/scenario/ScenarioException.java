package dev.snpsim.scenario;

/** A scenario that cannot run: the message names the file, line and column, and gives a hint. */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
