package kr.cancelpay.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

/** Production: no write is ever failed on purpose. */
@DefaultBean
@ApplicationScoped
class NoWriteFaults implements WriteFaults {

    @Override
    public void beforeWrite(String write) {
        // nothing
    }
}
