package org.sparkvae.backend;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The test JVMs load the ND4J build a user's run loads on this machine (oneDNN where the CPU runs it): the choice is
 * made once, before any test touches ND4J, as the CLI makes it before it runs a command. Registered through
 * META-INF/services; an IT covers the plain build through {@code SPARK_VAE_ND4J_BUILD=plain}.
 */
public final class TestNativeBuild implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // The tests run on this thread, invoked through generated accessors (-Dsun.reflect.noInflation=true in
        // the pom: no native frame, which would reload the standard MXCSR): they compute with FTZ/DAZ as the CLI.
        Denormals.applyHere();
        NativeMalloc.apply(); // as the CLI: large freed buffers unmapped at once
        NativeBuild.select();
    }
}
