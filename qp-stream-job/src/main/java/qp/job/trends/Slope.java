package qp.job.trends;

/** Least-squares slope of y over x. */
final class Slope {
    private Slope() {
    }

    /** dy/dx of the least-squares line, 0 when fewer than two points or all x equal. */
    static double of(double[] x, double[] y, int n) {
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
