package kr.cancelpay.rest.openapi;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The API's OpenAPI header and its security scheme (served at /q/openapi; Swagger UI in dev mode).
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "cancelpay",
                        version = "1.0",
                        description =
                                "Refunds (payment cancellations) through ChaiPort / Iamport V1, safe against paying twice.",
                        // No open-source licence: the merchant's own service, all rights reserved.
                        license = @License(name = "Proprietary")))
@SecurityScheme(
        securitySchemeName = CancelPayApi.BEARER,
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "A JWT whose groups claim carries refunds:write or refunds:read.")
public class CancelPayApi extends Application {

    public static final String BEARER = "bearer-jwt";
}
