package ethosu.bench.kernel;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.check.Finding;
import ethosu.bench.hw.JobBehaviour;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.ToIntBiFunction;

import static org.junit.jupiter.api.Assertions.*;

class SubmitErrorsTest {
    static final long HORIZON = 10_000_000_000L;

    static void explore(String variant, String name, Device.Options o, ToIntBiFunction<Device, Client> bad) {
        Device d = new Device(EthosuLibrary.load(variant), o.withTimeScale(10));
        int ret;
        long good;
        try (Client c = d.openClient()) {
            ret = bad.applyAsInt(d, c);
            d.failAlloc(0);
            int bo = c.createCmdBo(Client.Stream.simple(4));
            good = c.dmaAddr(bo);
            d.npu().setBehaviour(good, JobBehaviour.complete(10_000));
            int g = c.submit(Client.JobArgs.of(bo));
            boolean done = d.awaitJobs(HORIZON);
            System.out.println("### " + variant + " " + name + ": ret=" + ret + " good=" + g + " done=" + done);
        }
        d.close();
        System.out.println("  result " + d.checker.results().get(good));
        for (Finding f : d.checker.findings()) System.out.println("  F " + f.check() + " | " + f.text() + " | " + f.context());
        d.trace.lines().forEach(l -> System.out.println("  T " + l));
    }

    @ParameterizedTest
    @ValueSource(strings = {"locked"})
    void explore(String v) {
        Device.Options o = Device.Options.defaults();
        explore(v, "dup region", o, (d, c) -> {
            int cmd = c.createCmdBo(Client.Stream.simple(1).withRegion(0, 4096, true).withRegion(1, 4096, false));
            int r0 = c.createBo(4096);
            return c.submit(Client.JobArgs.of(cmd).withRegion(0, r0).withRegion(1, r0));
        });
        explore(v, "partial", o, (d, c) -> {
            int a = c.createCmdBo(Client.Stream.simple(1));
            return c.submit(Client.JobArgs.of(a), Client.JobArgs.of(99));
        });
        explore(v, "count0 badptr", o, (d, c) -> c.submitRaw(new Client.JobArgs[0], 0, 0, true));
        explore(v, "close queued", o, (d, c) -> {
            try (Client c2 = d.openClient()) {
                int a = c2.createCmdBo(Client.Stream.simple(1));
                int b = c2.createCmdBo(Client.Stream.simple(1));
                d.npu().setBehaviour(c2.dmaAddr(a), JobBehaviour.hang());
                return c2.submitRaw(new Client.JobArgs[]{Client.JobArgs.of(a), Client.JobArgs.of(b)}, 2, 0, false);
            }
        });
    }
}
