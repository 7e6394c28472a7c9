package io.forklift.manager;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * One end of a {@link Pipe}, as Python's {@code multiprocessing.connection.Connection}. Messages
 * are JSON values ({@link #send}) or raw bytes ({@link #sendBytes}). Each process that has an end
 * holds it with a lease its {@link io.forklift.Forklift} renews; once every holder of an end has
 * closed it (or died, and its lease ran out) the other end's {@link #recv} returns what was sent,
 * then throws {@link EOFException}. A task's ends are closed when the task ends.
 */
public interface Connection extends SharedObject, AutoCloseable {
    /** {@code send(obj)}: {@link IOException} when the other end is closed (Python's BrokenPipeError). */
    void send(Object message) throws IOException;

    /** {@code recv()}: the next message as JSON's own types (or {@code byte[]} if sent as bytes); waits for one. */
    Object recv() throws IOException, InterruptedException;

    /** {@code recv()}, read as {@code type}. */
    <T> T recv(Class<T> type) throws IOException, InterruptedException;

    /** {@code poll(timeout)}: whether a message (or the end of the stream) is there to receive, waiting up to {@code timeout}. */
    boolean poll(Duration timeout) throws IOException, InterruptedException;

    /** {@code poll()}: without waiting. */
    boolean poll() throws IOException;

    /** {@code send_bytes(buffer)}. */
    void sendBytes(byte[] bytes) throws IOException;

    /** {@code send_bytes(buffer, offset, size)}. */
    void sendBytes(byte[] bytes, int offset, int size) throws IOException;

    /** {@code recv_bytes()}: the next message as bytes (a JSON message as its UTF-8 text). */
    byte[] recvBytes() throws IOException, InterruptedException;

    /** {@code recv_bytes(maxlength)}: {@link IOException} if the message is longer (it is consumed, as in Python). */
    byte[] recvBytes(int maxLength) throws IOException, InterruptedException;

    /** {@code recv_bytes_into(buffer, offset)}: the message's length; {@link IOException} if it does not fit. */
    int recvBytesInto(byte[] buffer, int offset) throws IOException, InterruptedException;

    /** {@code close()}: this process's hold ends; when it was the last one, the end is closed. */
    @Override
    void close();

    /** {@code closed}. */
    boolean isClosed();

    /** {@code readable}: false for the send end of a one-way pipe. */
    boolean isReadable();

    /** {@code writable}: false for the receive end of a one-way pipe. */
    boolean isWritable();
}
