package io.tern.bench.proc;

/**
 * What one process used during a measured phase.
 *
 * @param pid          the process sampled
 * @param role         what the process is, e.g. "broker", "namesrv", "generator"
 * @param cpuMillis    user + system CPU time consumed during the phase
 * @param anonPeakKb   highest RssAnon seen by the sampler during the phase
 * @param anonEndKb    RssAnon at the end of the phase
 * @param rssPeakKb    highest VmRSS seen during the phase (includes mapped store files)
 * @param alive        false if the process was gone by the end of the phase
 */
public record ProcessUsage(long pid, String role, long cpuMillis, long anonPeakKb, long anonEndKb,
                           long rssPeakKb, boolean alive) {
}
