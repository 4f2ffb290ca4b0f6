package kr.cancelpay.testsupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import com.mongodb.MongoSocketWriteException;
import com.mongodb.ServerAddress;

import kr.cancelpay.repository.WriteFaults;

/**
 * The tests' {@link WriteFaults}: a test arms a named write to fail the next time(s) it happens, as
 * if MongoDB had gone away at that instant. Disarmed, it does nothing. {@code @QuarkusTest} only:
 * the packaged application of the *IT runs keeps production's.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class InjectedWriteFaults implements WriteFaults {

    private final Map<String, AtomicInteger> armed = new ConcurrentHashMap<>();

    /** The next {@code times} writes named {@code write} fail. */
    public void fail(String write, int times) {
        armed.put(write, new AtomicInteger(times));
    }

    public void disarm() {
        armed.clear();
    }

    @Override
    public void beforeWrite(String write) {
        AtomicInteger left = armed.get(write);
        if (left != null && left.getAndDecrement() > 0) {
            throw new MongoSocketWriteException("injected: MongoDB gone during " + write, new ServerAddress(),
                    new java.io.IOException("injected"));
        }
    }
}
