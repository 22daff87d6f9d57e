/**
 * Chart styling and PNG writing ({@link org.sparkvae.plot.Charts}) and the training-curve plot that a training run
 * writes after each epoch ({@link org.sparkvae.plot.TrainingCurvePlot}): below {@code train} and {@code analysis},
 * which both draw with them.
 */
package org.sparkvae.plot;
