package org.sparkvae.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataModeTest {
    @Test
    void binaryThresholdIsStrictlyAboveHalf() {
        assertEquals(0f, DataMode.BINARY.transform(0));
        assertEquals(0f, DataMode.BINARY.transform(127)); // 127/255 = 0.498
        assertEquals(1f, DataMode.BINARY.transform(128)); // 128/255 = 0.502
        assertEquals(1f, DataMode.BINARY.transform(255));
    }

    @Test
    void continuousIsPixelOver255() {
        assertEquals(0f, DataMode.CONTINUOUS.transform(0));
        assertEquals(1f, DataMode.CONTINUOUS.transform(255));
        assertEquals(51 / 255f, DataMode.CONTINUOUS.transform(51), 1e-7);
    }

    @Test
    void featuresFollowTheMode() {
        IdxImages im = new IdxImages(1, 1, 4, new byte[] {0, 127, (byte) 128, (byte) 255});
        LabelledImages li = new LabelledImages(im, new byte[] {3});
        float[] bin = li.features(DataMode.BINARY);
        assertEquals(0f, bin[1]);
        assertEquals(1f, bin[2]);
        assertEquals(1f, li.features(DataMode.CONTINUOUS)[3]);
    }

    @Test
    void contentMd5MatchesTheFileChecksum() throws Exception {
        java.nio.file.Path slice = java.nio.file.Path.of(getClass().getResource("/mnist-slice").toURI());
        MnistFiles files = new MnistFiles(slice.toString());
        String fromParsed = files.read(MnistFiles.Split.TEST).images().contentMd5();
        String fromFile = DatasetFetcher.md5OfContent(slice.resolve(MnistFiles.TEST_IMAGES + ".gz"));
        assertEquals(fromFile, fromParsed);
    }
}
