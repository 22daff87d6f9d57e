/**
 * The records a run produces and several layers read: a test ELBO ({@link org.sparkvae.run.ElboReport}), one
 * epoch's metrics row ({@link org.sparkvae.run.EpochRecord}) and the Spark topology a model was trained on
 * ({@link org.sparkvae.run.Topology}). They sit below {@code model.store} (which saves them with a model),
 * {@code train} and {@code evaluate} (which make them), so that dependencies run one way:
 * io, backend, run, data, model, train/evaluate, exec, job/analysis/sweep/ml, cli.
 */
package org.sparkvae.run;
