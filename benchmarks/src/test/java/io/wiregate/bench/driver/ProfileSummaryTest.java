package io.wiregate.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSummaryTest {

    @TempDir
    Path dir;

    @Test
    void summarizesCollapsedStacksByLayerThreadAndSystemCall() throws Exception {
        Path file = dir.resolve("p.collapsed");
        Files.writeString(file, String.join("\n",
                "[Grizzly-worker(3) tid=101];java/lang/Thread.run;io/wiregate/cdi/session/OutboundQueue.drain;"
                        + "org/glassfish/tyrus/core/TyrusRemoteEndpoint$Async.sendText;sun/nio/ch/FileDispatcherImpl.write0;"
                        + "__GI_write;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];ksys_write_[k];vfs_write_[k] 6",
                "[tyrus-1-thread-1 tid=102];java/util/concurrent/locks/LockSupport.park;Unsafe_Park;"
                        + "entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];__x64_sys_futex_[k];do_futex_[k] 3",
                "[G1 Refine#0 tid=103];G1RemSet::refine_card_concurrently 1",
                ""));
        ProfileSummary s = ProfileSummary.fromCollapsed(file, "wiregate", "fanout");
        assertThat(s.samples).isEqualTo(10);
        assertThat(s.selfLayer).containsEntry("kernel", 9L).containsEntry("JVM (GC, JIT, runtime)", 1L);
        assertThat(s.inclusiveLayer).containsEntry("Wiregate", 6L).containsEntry("Tyrus", 6L).containsEntry("JDK NIO", 6L);
        assertThat(s.inclusiveWiregate).containsEntry("OutboundQueue.drain (Wiregate)", 6L);
        assertThat(s.syscalls).containsEntry("sys_write", 6L).containsEntry("sys_futex", 3L);
        assertThat(s.threads).containsEntry("Grizzly-worker(#)", 6L).containsEntry("tyrus-#-thread-#", 3L)
                .containsEntry("G# Refine##", 1L);
        assertThat(s.text()).contains("sys_write").contains("OutboundQueue.drain");
    }

    @Test
    void layers() {
        assertThat(ProfileSummary.layer("io.wiregate.protocol.Frames")).isEqualTo("Wiregate");
        assertThat(ProfileSummary.layer("io.wiregate.bench.server.RawBenchEndpoint")).isEqualTo("bench app");
        assertThat(ProfileSummary.layer("org.glassfish.grizzly.nio.NIOConnection")).isEqualTo("Grizzly");
        assertThat(ProfileSummary.layer("org.eclipse.parsson.JsonParserImpl")).isEqualTo("JSON-P/B");
        assertThat(ProfileSummary.layer("io.undertow.websockets.core.WebSocketChannel")).isEqualTo("Undertow/XNIO");
        assertThat(ProfileSummary.layer("org.xnio.nio.WorkerThread")).isEqualTo("Undertow/XNIO");
        assertThat(ProfileSummary.layer("com.ibm.ws.wsoc.WsocConnLink")).isEqualTo("Open Liberty");
        assertThat(ProfileSummary.layer("com.sun.enterprise.web.WebModule")).isEqualTo("Payara/GlassFish");
        assertThat(ProfileSummary.layer("com.sun.management.internal.Flag")).isEqualTo("JDK other");
        assertThat(ProfileSummary.collapsedLayer("schedule_[k]")).isEqualTo("kernel");
        assertThat(ProfileSummary.collapsedName("io/wiregate/protocol/Frames.event")).isEqualTo("Frames.event (Wiregate)");
    }
}
