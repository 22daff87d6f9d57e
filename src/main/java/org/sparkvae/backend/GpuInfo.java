package org.sparkvae.backend;

/**
 * One visible GPU as nvidia-smi reports it.
 *
 * @param computeCapability "major.minor", or null when the driver could not report it
 * @param driverVersion e.g. "550.54.15"
 */
public record GpuInfo(int index, String name, String computeCapability, String driverVersion) { }
