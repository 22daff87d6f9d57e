package org.sparkvae.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sparkvae.fuzz.Fuzz;

/**
 * The IDX reader, plain and gzip, over bytes anyone can hand a user. Accepted: a parsed file, or an
 * {@link IdxFormatException} (our one format exception). Anything else (another exception, an OutOfMemoryError, a
 * hang) is a finding. Seeds: src/test/resources/org/sparkvae/data/IdxReaderFuzzTestInputs/.
 */
class IdxReaderFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void images(byte[] bytes) throws Exception {
        read(Fuzz.file("train-images-idx3-ubyte", bytes).toString(), true);
    }

    @FuzzTest(maxDuration = "10m")
    void imagesGzip(byte[] bytes) throws Exception {
        read(Fuzz.file("train-images-idx3-ubyte.gz", bytes).toString(), true);
    }

    @FuzzTest(maxDuration = "10m")
    void labels(byte[] bytes) throws Exception {
        read(Fuzz.file("train-labels-idx1-ubyte", bytes).toString(), false);
    }

    private static void read(String path, boolean images) throws Exception {
        try {
            if (images) {
                IdxImages im = new IdxReader().readImages(path);
                if ((long) im.count() * im.rows() * im.cols() != im.pixels().length) {
                    throw new AssertionError("header and pixels disagree: " + im.count() + "x" + im.rows() + "x" + im.cols());
                }
            } else {
                new IdxReader().readLabels(path);
            }
        } catch (IdxFormatException expected) {
            // a refusal in our words
        }
    }
}
