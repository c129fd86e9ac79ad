package dev.reclaim.jdbc.stateful;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process's death, as the stores see it: once armed, the stores' Nth call from then on (over
 * both stores, from any thread) dies, either before it reaches the store or after the store did
 * its work but before the caller learns of it. From then on every call dies too, as nothing of a
 * dead process reaches a store any more; only {@code close} passes, as the operating system
 * releases a dead process's files and connections.
 *
 * <p>A call to a store is the unit of atomicity the product relies on (one transaction, one
 * create-only put, one batch of deletes), so dying between two calls, or after one took effect, is
 * every state a killed process can leave behind.
 */
final class Fuse {
    /** How a dying process ends a call: an error nothing in the product catches. */
    static final class Crash extends Error {
        Crash(String where) {
            super("crash injected at " + where, null, false, false);
        }
    }

    private final AtomicLong calls = new AtomicLong();
    private volatile long blowAt = Long.MAX_VALUE;
    private volatile boolean afterCall;
    private volatile boolean blown;
    private volatile String where = "";

    /** The {@code n}-th call from now (1: the next) dies, before reaching the store or after it. */
    void arm(long n, boolean afterCall) {
        this.afterCall = afterCall;
        this.blowAt = calls.get() + n;
    }

    /** No more deaths planned. */
    void disarm() {
        blowAt = Long.MAX_VALUE;
    }

    /** Dies now, between calls. */
    void blow(String at) {
        where = at;
        blown = true;
    }

    boolean blown() {
        return blown;
    }

    String where() {
        return where;
    }

    /** A new process: nothing dead, nothing armed. */
    void reset() {
        blown = false;
        blowAt = Long.MAX_VALUE;
        where = "";
    }

    /** {@code real} as seen through this fuse. */
    <T> T wrap(Class<T> type, T real) {
        InvocationHandler h = (proxy, method, args) -> call(real, method, args);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, h));
    }

    private Object call(Object real, Method method, Object[] args) throws Throwable {
        String name = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
            return invoke(real, method, args);
        }
        if (blown) {
            throw new Crash(name + " after the process died at " + where);
        }
        long n = calls.incrementAndGet();
        boolean dies = n == blowAt;
        if (dies && !afterCall) {
            blow("call " + n + " (" + name + "), before it reached the store");
            throw new Crash(where);
        }
        Object result = invoke(real, method, args);
        if (dies) {
            blow("call " + n + " (" + name + "), after the store did it");
            throw new Crash(where);
        }
        return result;
    }

    private static Object invoke(Object real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
