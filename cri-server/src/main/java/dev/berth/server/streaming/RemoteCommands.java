package dev.berth.server.streaming;

/**
 * Starts what a remote-command stream drives. Implemented over the pod-sandbox module's
 * containers; protocol code only sees this. Failures (container gone or not running, command
 * not found) are exceptions whose message the protocol sends to the client as the error.
 */
public interface RemoteCommands {

    RemoteProcess exec(StreamRequest.Exec request) throws Exception;

    RemoteProcess attach(StreamRequest.Attach request) throws Exception;
}
