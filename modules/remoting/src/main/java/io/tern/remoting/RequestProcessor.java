package io.tern.remoting;

import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;

/**
 * Handles one request code. Returns the response, or a future completed later (a parked long poll);
 * a null response (or a null future value) means "no answer", which is only right for oneway requests.
 * Exceptions become SYSTEM_ERROR responses with the exception text as remark.
 */
@FunctionalInterface
public interface RequestProcessor {
    Future<RemotingCommand> process(RemotingChannel channel, RemotingCommand request) throws Exception;
}
