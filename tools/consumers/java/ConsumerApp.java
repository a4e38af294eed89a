// Another team's CDK app in Java: the platform from the Maven artifact, staging stage.
import io.github.securityassistant.constructs.SecurityAssistantPlatform;
import io.github.securityassistant.constructs.SecurityAssistantPlatformProps;
import java.util.TreeSet;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;

public final class ConsumerApp {
    public static void main(final String[] args) {
        App app = new App(AppProps.builder().outdir(args[0]).build());
        Stack stack = new Stack(app, "JavaConsumer");
        SecurityAssistantPlatform platform = new SecurityAssistantPlatform(stack, "Platform",
                SecurityAssistantPlatformProps.builder().stage("staging").build());
        System.out.println("functions: " + String.join(",", new TreeSet<>(platform.getFunctions().keySet())));
        app.synth();
    }
}
