package kr.cancelpay.rest.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.MediaType;

/**
 * The form-encoded webhook carries the same notification as the JSON one. SmallRye documents the
 * form method's {@code @RestForm} parameter as a form of that one field (and ignores an
 * {@code @RequestBody} there), so the form's schema is set to {@link ChaiPortNotificationDocument}
 * here (mp.openapi.filter, run at build time).
 */
public class WebhookFormBodyFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        var webhook =
                openAPI.getPaths() == null
                        ? null
                        : openAPI.getPaths().getPathItem("/webhooks/chaiport");
        if (webhook == null
                || webhook.getPOST() == null
                || webhook.getPOST().getRequestBody() == null) {
            return;
        }
        MediaType form =
                webhook.getPOST()
                        .getRequestBody()
                        .getContent()
                        .getMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_FORM_URLENCODED);
        if (form != null) {
            form.setSchema(OASFactory.createSchema().ref("ChaiPortNotification"));
        }
    }
}
