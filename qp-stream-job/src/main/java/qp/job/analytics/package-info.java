/**
 * The settings every analytics stage reads ({@link qp.job.analytics.AnalyticsSettings}): the bottom layer of the
 * analytics, below the stages ({@code windows}, {@code anomaly}, {@code bigrams}, {@code rules}, {@code trends},
 * {@code experiments}) and the {@code pipeline} that wires them. {@code PackageLayersTest} keeps it that way.
 */
package qp.job.analytics;
