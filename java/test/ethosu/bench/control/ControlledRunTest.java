package ethosu.bench.control;

import ethosu.bench.bindings.EthosuLibrary;
import ethosu.bench.control.strategy.RandomWalk;
import ethosu.bench.hw.JobBehaviour;
import ethosu.bench.hw.NpuVariant;
import ethosu.bench.kernel.Client;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ControlledRunTest {
    @Test
    void twoJobsBackToBack() throws Exception {
        RandomWalk s = new RandomWalk(1, 1);
        s.nextSchedule();
        ControlledRun run = new ControlledRun(EthosuLibrary.load("locked"), s, NpuVariant.U65, 0, 2_000_000_000L, 20_000);
        boolean ended = run.run(List.of((r, c) -> {
            int a = c.createCmdBo(Client.Stream.simple(4));
            int b = c.createCmdBo(Client.Stream.simple(4));
            r.npu().setBehaviour(c.dmaAddr(a), JobBehaviour.complete(1000));
            r.npu().setBehaviour(c.dmaAddr(b), JobBehaviour.complete(1000));
            assertEquals(0, c.submit(Client.JobArgs.of(a)));
            assertEquals(0, c.submit(Client.JobArgs.of(b)));
        }), 20_000);
        System.out.println("steps " + run.runtime.schedule().size());
        run.runtime.trace().stream().limit(400).forEach(System.out::println);
        run.log().forEach(System.out::println);
        System.out.println(run.checker.findings());
        assertTrue(ended);
        run.destroy();
    }
}
