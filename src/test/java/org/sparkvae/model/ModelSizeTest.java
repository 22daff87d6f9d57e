package org.sparkvae.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The size check counts what DL4J will allocate, and refuses networks too large, in one line, before building. */
class ModelSizeTest {
    @Test
    void theCountIsTheBuiltNetworksAndItsClosedForm() {
        for (VaeConfig c : new VaeConfig[] {VaeConfig.mnist(2), VaeConfig.mnist(10).withPrior(PriorKind.MOG, 10),
                VaeConfig.mnist(10).withInputSize(100)}) {
            ModelSize s = ModelSize.of(c, 128);
            assertEquals(Vae.create(c, 1).network().numParams(), s.parameters(), c.toString());
        }
        // encoder D-512-512-2M and decoder M-512-512-D, weights and biases (Gaussian prior: no prior parameters)
        long d = 784, h = 512, m = 10;
        long closed = (d * h + h) + (h * h + h) + (h * 2 * m + 2 * m) + (m * h + h) + (h * h + h) + (h * d + d);
        assertEquals(closed, ModelSize.of(VaeConfig.mnist(10), 128).parameters());
    }

    @Test
    void twoMillionColumnsAreRefusedInOneLineBeforeAnythingIsAllocated() {
        ModelSize s = ModelSize.of(VaeConfig.mnist(10).withInputSize(5_000_000), 128);
        assertTrue(s.parameters() > Integer.MAX_VALUE, "5e6 x 512 per side: " + s.parameters());
        SettingException e = assertThrows(SettingException.class, () -> s.check(Long.MAX_VALUE));
        assertEquals("inputSize", e.setting());
        assertTrue(e.getMessage().startsWith("a model of inputSize 5000000 (D, from the data) with layers 5000000-512-512-20 / "
                + "10-512-512-5000000 has 5,125,541,716 parameters"), e.getMessage());
        assertTrue(e.getMessage().contains("more than the 2,147,483,647 one ND4J array holds"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        // The case: 2,000,000 columns fit one array (2.05e9 parameters) but need 33 GB.
        ModelSize two = ModelSize.of(VaeConfig.mnist(10).withInputSize(2_000_000), 128);
        assertTrue(two.parameters() < Integer.MAX_VALUE, two.toString());
        // weights, gradients and Adam's two moments in float32, and a minibatch's activations on top
        assertTrue(two.bytes() > 16 * two.parameters() + 128L * 2_000_000 * 4, two.toString());
        SettingException mem = assertThrows(SettingException.class, () -> two.check(20_000_000_000L));
        assertTrue(mem.getMessage().contains(String.format(java.util.Locale.ROOT, "needs %.1f GB for weights, gradients, Adam state"
                + " and a minibatch of 128, more than the 20.0 GB this process can have off the heap", two.bytes() / 1e9)), mem.getMessage());
        assertThrows(SettingException.class, () -> Vae.create(VaeConfig.mnist(10).withInputSize(5_000_000), 1));
    }

    @Test
    void theExercisesModelFits() {
        ModelSize s = ModelSize.of(VaeConfig.mnist(10), 128).check();
        // 1.34 M parameters x 16 bytes + a minibatch: about 22 MB
        assertTrue(s.bytes() > 20e6 && s.bytes() < 30e6, s.toString());
        assertTrue(ModelSize.availableBytes() > s.bytes());
    }
}
