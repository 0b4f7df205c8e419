package io.tern.nameserver.route;

/** What a slave needs to replicate: its master's address and HA address (both null for a master or no master). */
public record RegisterResult(String masterAddr, String haServerAddr) {
}
