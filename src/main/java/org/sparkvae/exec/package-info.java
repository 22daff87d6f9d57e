/**
 * Where a run executes. {@link org.sparkvae.exec.ExecutionBackend} is the one interface every front end runs
 * through — open an IDX split as {@link org.sparkvae.exec.TrainingData}, train with listeners
 * ({@link org.sparkvae.exec.ExecutionBackend#fit}, the one training loop), the ELBO, the IWAE bound and the topology a
 * model was trained on — implemented in this JVM ({@link org.sparkvae.exec.LocalBackend}) and on Spark's executors
 * ({@link org.sparkvae.exec.SparkBackend}). {@link org.sparkvae.exec.ModelProvenance} builds every trained model's
 * info. Above {@code train}, {@code evaluate} and {@code spark}; below {@code job}, {@code sweep} and {@code ml}.
 */
package org.sparkvae.exec;
