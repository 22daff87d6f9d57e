package org.sparkvae.spark;

import org.apache.spark.api.java.JavaRDD;

import java.util.function.BinaryOperator;

/**
 * Adds up per-partition results in partition order. {@code JavaRDD.fold}/{@code reduce} merge task
 * results on the driver in the order the tasks finish, and floating-point addition is not associative:
 * with three or more partitions the same seeded job printed different last digits from run to run.
 * Collecting one small value per partition and folding the list keeps every sum bit for bit repeatable.
 */
public final class OrderedFold {
    private OrderedFold() { }

    public static <T> T fold(JavaRDD<T> onePerPartition, T zero, BinaryOperator<T> plus) {
        T total = zero;
        for (T t : onePerPartition.collect()) {
            total = plus.apply(total, t);
        }
        return total;
    }
}
