/**
 * The CLI's {@code train} and {@code evaluate} runs as library calls: {@link org.sparkvae.job.TrainingRun} and
 * {@link org.sparkvae.job.EvaluationRun}, each a typed {@code Spec} in, a typed {@code Result} out, and a short
 * sequence over an {@link org.sparkvae.exec.ExecutionBackend} in between (checks, data, fit with listeners, save).
 */
package org.sparkvae.job;
