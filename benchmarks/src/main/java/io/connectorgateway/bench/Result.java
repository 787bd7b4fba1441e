package io.connectorgateway.bench;

/** One measured row of the report. */
record Result(String benchmark, String subject, String metric, double value, String unit, String note) {
    String formatted() {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value >= 100 ? String.format("%,.0f", value) : String.format("%,.2f", value);
    }
}
