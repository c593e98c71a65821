package io.chainwatch.cluster;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real multi-process Flink session cluster for tests: one JobManager and one TaskManager JVM started from
 * the Maven jars (no Flink distribution needed), plus the {@code flink} command-line client
 * ({@code CliFrontend}) to submit jobs to it, exactly as {@code flink run} does.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    /** The JDK 17 module openings flink-dist passes to its own JVMs. */
    static final List<String> JVM_OPENS = List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED");

    private final Path dir;
    private final String classpath;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();

    private StandaloneFlinkCluster(Path dir, String classpath, int restPort) {
        this.dir = dir;
        this.classpath = classpath;
        this.restPort = restPort;
    }

    /** Starts JobManager and TaskManager and waits until the TaskManager has registered. */
    public static StandaloneFlinkCluster start(Path dir, String classpath) throws Exception {
        int rpc = freePort();
        int rest = freePort();
        Path conf = dir.resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: localhost",
                "jobmanager.rpc.port: " + rpc,
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 1024m",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.host: localhost",
                "taskmanager.rpc.port: " + freePort(),
                "taskmanager.numberOfTaskSlots: 2",
                "taskmanager.memory.process.size: 1536m",
                "rest.address: localhost",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + rest,
                "blob.server.port: " + freePort(),
                "parallelism.default: 2",
                ""));
        StandaloneFlinkCluster c = new StandaloneFlinkCluster(dir, classpath, rest);
        try {
            c.spawn("jobmanager", List.of("-Xmx512m"), "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    List.of("--configDir", conf.toString()));
            List<String> tm = c.taskManagerResources(conf);
            List<String> jvm = List.of(tm.get(0).trim().split("\\s+"));
            List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
            args.addAll(List.of(tm.get(1).trim().split("\\s+")));
            c.spawn("taskmanager", jvm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", args);
            c.awaitTaskManager(Duration.ofSeconds(90));
            return c;
        } catch (Exception e) {
            c.close();
            throw new IllegalStateException("cluster did not start; logs:\n" + c.logs(), e);
        }
    }

    /** Runs {@code flink run <jar> <args...>} against this cluster; returns the exit code. Output goes to {@code out}. */
    public int flinkRun(Path jar, Path out, Duration timeout, String... programArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(JVM_OPENS);
        cmd.addAll(List.of("-cp", classpath, "org.apache.flink.client.cli.CliFrontend", "run", jar.toString()));
        cmd.addAll(List.of(programArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("FLINK_CONF_DIR", dir.resolve("conf").toString());
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink run did not finish in " + timeout);
        }
        return p.exitValue();
    }

    public String restUrl() {
        return "http://localhost:" + restPort;
    }

    /** JVM options and dynamic properties for the TaskManager, computed the way flink-dist's scripts do. */
    private List<String> taskManagerResources(Path conf) throws Exception {
        Path log = dir.resolve("bash-java-utils.log");
        Process p = new ProcessBuilder(javaBin(), "-cp", classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils",
                "GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.waitFor();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                out.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()));
            }
        }
        if (out.size() < 2) {
            throw new IllegalStateException("BashJavaUtils gave no resources:\n" + Files.readString(log));
        }
        return out;
    }

    private void spawn(String name, List<String> jvm, String mainClass, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(jvm);
        cmd.addAll(JVM_OPENS);
        cmd.add("-Dlog.file=" + dir.resolve(name + ".log"));
        cmd.addAll(List.of("-cp", classpath, mainClass));
        cmd.addAll(args);
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile()).start());
    }

    private void awaitTaskManager(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process exited with " + p.exitValue());
                }
            }
            try {
                HttpURLConnection con = (HttpURLConnection) URI.create(restUrl() + "/taskmanagers").toURL().openConnection();
                con.setConnectTimeout(1000);
                con.setReadTimeout(1000);
                if (con.getResponseCode() == 200) {
                    String body = new String(con.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (body.contains("\"id\"")) {
                        return;
                    }
                }
            } catch (IOException notYet) {
                // REST endpoint not up yet; poll again.
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no TaskManager registered within " + timeout);
    }

    /** The cluster processes' output, for failure messages. */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("jobmanager.out", "taskmanager.out")) {
            Path f = dir.resolve(name);
            try {
                if (Files.exists(f)) {
                    List<String> lines = Files.readAllLines(f);
                    sb.append("--- ").append(name).append(" (last 40 lines)\n");
                    lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
                }
            } catch (IOException e) {
                sb.append(name).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    static Map<String, String> env() {
        return System.getenv();
    }
}
