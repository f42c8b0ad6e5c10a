// Kernel errno names for reports ("-ECANCELED" reads better than -125).
package ethosu.bench.check;

public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, ENOMEM = 12,
            EFAULT = 14, EBUSY = 16, EACCES = 13, ENODEV = 19, EINVAL = 22, EDEADLK = 35, EOVERFLOW = 75,
            ETIMEDOUT = 110, EALREADY = 114, ECANCELED = 125;

    public static String name(int err) {
        return switch (-err) {
            case 0 -> "0";
            case EPERM -> "-EPERM";
            case ENOENT -> "-ENOENT";
            case ESRCH -> "-ESRCH";
            case EINTR -> "-EINTR";
            case EIO -> "-EIO";
            case ENXIO -> "-ENXIO";
            case ENOMEM -> "-ENOMEM";
            case EACCES -> "-EACCES";
            case EFAULT -> "-EFAULT";
            case EBUSY -> "-EBUSY";
            case ENODEV -> "-ENODEV";
            case EINVAL -> "-EINVAL";
            case EDEADLK -> "-EDEADLK";
            case EOVERFLOW -> "-EOVERFLOW";
            case ETIMEDOUT -> "-ETIMEDOUT";
            case EALREADY -> "-EALREADY";
            case ECANCELED -> "-ECANCELED";
            default -> Integer.toString(err);
        };
    }
}
