package zcgraph;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts an in-process Neo4j Community with a Bolt connector on 127.0.0.1.
 *
 * Usage: java [--add-opens ...] -cp target/classes:target/lib/* zcgraph.Launcher DIR [PORT]
 *
 * Prints "BOLT bolt://127.0.0.1:PORT" once the database answers, then runs until
 * stdin closes or the process is signalled; either way the database shuts down cleanly.
 * Auth is off: the connector listens on loopback only and the store is throw-away.
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Launcher DIR [PORT]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes())
                .build();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            done.countDown();
        }));
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        int bound = boundPort(db, port);
        System.out.println("BOLT bolt://127.0.0.1:" + bound);
        System.out.flush();
        // Stop when the parent closes our stdin (pytest fixture, .ci/run) or on SIGTERM.
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) { /* ignore input */ }
            } catch (Exception ignored) { }
            System.exit(0);
        });
        watcher.setDaemon(true);
        watcher.start();
        done.await();
    }

    /** ZCGRAPH_NEO4J_PAGECACHE, e.g. "2g" or "512m"; 512 MiB by default. */
    private static long pageCacheBytes() {
        String v = System.getenv("ZCGRAPH_NEO4J_PAGECACHE");
        if (v == null || v.isBlank()) return 512L * 1024 * 1024;
        v = v.trim().toLowerCase();
        long unit = v.endsWith("g") ? 1L << 30 : v.endsWith("m") ? 1L << 20 : 1L;
        return Long.parseLong(v.replaceAll("[gm]$", "")) * unit;
    }

    private static int boundPort(GraphDatabaseService db, int requested) {
        if (requested != 0) return requested;
        org.neo4j.kernel.internal.GraphDatabaseAPI api = (org.neo4j.kernel.internal.GraphDatabaseAPI) db;
        org.neo4j.configuration.connectors.ConnectorPortRegister reg = api.getDependencyResolver()
                .resolveDependency(org.neo4j.configuration.connectors.ConnectorPortRegister.class);
        return reg.getLocalAddress(org.neo4j.configuration.connectors.ConnectorType.BOLT).getPort();
    }
}
