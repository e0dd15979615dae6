package qp.gateway;

import java.io.IOException;
import qp.options.docs.PicocliOptionsTable;
import qp.options.docs.ReadmeSection;

/** {@code bin/qp docs}: the README's table of the gateway's options, from {@link GatewayMain}'s declarations. */
public final class GatewayOptionsDoc {
    private GatewayOptionsDoc() {
    }

    public static String withTable(String readme) {
        return ReadmeSection.replace(readme, "gateway-options", PicocliOptionsTable.markdown(new GatewayMain()));
    }

    public static void main(String[] args) throws IOException {
        ReadmeSection.writeReadme("GatewayOptionsDoc", args, GatewayOptionsDoc::withTable);
    }
}
