package newsgrep.testnode;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in a plain JVM, for newsgrep's tests (no distribution, no Docker).
 *
 * <p>Node's protected constructor takes plugins as classes on the classpath, as the test
 * framework's MockNode does: the three modules newsgrep needs are passed that way (HTTP and
 * transport, the whitespace tokenizer and `english`, _delete_by_query). Settings come as
 * arguments `key=value`. The node exits when its standard input reaches end of file, so a
 * node started by a test or a script dies with whoever started it, even after kill -9.
 */
public final class TestNode extends Node {
    private static final List<Class<? extends Plugin>> PLUGINS =
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, ReindexPlugin.class);

    private TestNode(Environment env) {
        super(env, PLUGINS, true);
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder b = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("TestNode: settings are key=value, got: " + arg);
                System.exit(2);
            }
            b.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = b.build();
        String name = settings.get("node.name", "node");
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(name);
        LogConfigurator.configureWithoutConfig(settings);
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> name);
        TestNode node = new TestNode(env);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (IOException e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }, "testnode-shutdown"));
        node.start();
        // The node's own threads are daemons (as under OpenSearch's Bootstrap): keep the JVM
        // alive, and exit cleanly when whoever started us goes away (stdin closes).
        Thread watch = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // ignore anything written
                }
            } catch (IOException ignored) {
                // treat as end of file
            }
            System.exit(0);
        }, "testnode-stdin-watch");
        watch.setDaemon(true);
        watch.start();
        stopped.await();
    }
}
