package kr.cancelpay.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.stream.Stream;
import org.bson.types.Decimal128;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How a figure of the merchant's row is read: whole numbers of any BSON type, else null. */
class PaymentFiguresTest {

    static Stream<Arguments> figures() {
        return Stream.of(
                Arguments.of(10000, 10000L),
                Arguments.of(10000L, 10000L),
                Arguments.of(10000.0, 10000L),
                Arguments.of(10000.5, null),
                Arguments.of(Double.NaN, null),
                Arguments.of(Double.POSITIVE_INFINITY, null),
                Arguments.of(1e30, null),
                Arguments.of(new Decimal128(new BigDecimal("10000.00")), 10000L),
                Arguments.of(new Decimal128(new BigDecimal("10000.50")), null),
                Arguments.of(new Decimal128(new BigDecimal("1E+30")), null),
                Arguments.of(Decimal128.NaN, null),
                Arguments.of(Decimal128.POSITIVE_INFINITY, null),
                Arguments.of(Decimal128.NEGATIVE_INFINITY, null),
                Arguments.of(Decimal128.NEGATIVE_ZERO, 0L),
                Arguments.of("10000", null),
                Arguments.of(null, null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("figures")
    void aFigureIsReadAsAWholeNumberOrNull(Object stored, Long read) {
        assertEquals(read, PaymentFigures.whole(stored));
    }
}
