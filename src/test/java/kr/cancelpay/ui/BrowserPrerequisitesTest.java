package kr.cancelpay.ui;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import kr.cancelpay.testsupport.Browser;
import org.junit.jupiter.api.Test;

/** Without the browser the browser test fails, and says which Debian package to install. */
class BrowserPrerequisitesTest {

    @Test
    void aMissingBinaryFailsNamingItsDebianPackage() {
        AssertionError missing =
                assertThrows(
                        AssertionError.class,
                        () ->
                                Browser.requireInstalled(
                                        Path.of("/nonexistent/chromedriver"), "chromium-driver"));
        assertTrue(
                missing.getMessage().contains("apt-get install chromium-driver"),
                missing.getMessage());
    }

    @Test
    void thisMachineHasThem() {
        Browser.requireInstalled(Browser.CHROMIUM, "chromium");
        Browser.requireInstalled(Browser.CHROMEDRIVER, "chromium-driver");
        Browser.requireInstalled(Browser.KOREAN_FONT, "fonts-nanum");
    }
}
