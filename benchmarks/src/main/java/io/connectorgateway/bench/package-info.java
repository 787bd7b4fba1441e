/**
 * The benchmark harness. Every figure is measured next to a baseline in the same run, on the same
 * broker, because a shared 2-core machine is too noisy for absolute numbers to mean much alone.
 * Run by {@code ./bench.sh} (see README); never part of the unit tests.
 */
package io.connectorgateway.bench;
