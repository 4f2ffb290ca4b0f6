package kr.cancelpay.repository;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** Production: no write is ever failed on purpose. */
@DefaultBean
@ApplicationScoped
class NoWriteFaults implements WriteFaults {

    @Override
    public void beforeWrite(String write) {
        // nothing
    }
}
