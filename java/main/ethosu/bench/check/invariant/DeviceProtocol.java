// The device protocol, as the fake NPU sees it: no start while running, no queue programming while
// running, no writes during a reset.
package ethosu.bench.check.invariant;

import ethosu.bench.check.Checks;
import ethosu.bench.check.Finding;
import ethosu.bench.check.Invariant;
import ethosu.bench.event.Event;
import ethosu.bench.event.NpuEvent;

import java.util.List;

public final class DeviceProtocol implements Invariant {
    @Override
    public Finding.Check check() {
        return Finding.Check.DEVICE_PROTOCOL;
    }

    @Override
    public String meaning() {
        return "the driver programs the NPU only as its protocol allows";
    }

    @Override
    public void on(Event e, Checks run) {
        if (e instanceof NpuEvent n && n.kind() == NpuEvent.Kind.VIOLATION)
            run.report(check(), "violation", "npu", List.of(), n.text(), "npu");
    }
}
