// The device's runtime-PM status changed (enum rpm_status: 0 active, 1 resuming, 2 suspended, 3 suspending).
package ethosu.bench.event;

public record PmStatus(int ctx, int status) implements Event {
    public static final int ACTIVE = 0, RESUMING = 1, SUSPENDED = 2, SUSPENDING = 3;

    public String statusName() {
        return switch (status) {
            case ACTIVE -> "active";
            case RESUMING -> "resuming";
            case SUSPENDED -> "suspended";
            case SUSPENDING -> "suspending";
            default -> "status " + status;
        };
    }
}
