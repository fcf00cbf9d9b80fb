import { compileBpmn } from '../../../src/model/index.js';
import { it } from 'vitest';
const wrap = (body: string, defs = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:foo="urn:foo" id="d1" targetNamespace="x">
${defs}
  <bpmn:process id="p" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
it('x', async () => {
  const cases: Record<string, string> = {
    dup: `<bpmn:startEvent id="s"/><bpmn:task id="s"/>`,
    unknownBpmn: `<bpmn:startEvent id="s"/>\n    <bpmn:fooBar id="fb"/>`,
    foreignInExt: `<bpmn:startEvent id="s"><bpmn:extensionElements><camunda:properties><camunda:property name="a" value="b"/></camunda:properties><foo:bar/></bpmn:extensionElements></bpmn:startEvent>`,
    foreignInProcess: `<bpmn:startEvent id="s"/><foo:bar id="x"/>`,
    unknownZeebe: `<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:doesNotExist/></bpmn:extensionElements></bpmn:startEvent>`,
    many: `<bpmn:startEvent id="s"><bpmn:timerEventDefinition/></bpmn:startEvent><bpmn:subProcess id="Sub_1"/><bpmn:task id="T"/><bpmn:serviceTask id="S1"/><bpmn:sequenceFlow id="f" sourceRef="S1" targetRef="nowhere"/><bpmn:sequenceFlow id="g" sourceRef="S1" targetRef="T"><bpmn:conditionExpression>=x &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>`,
    camunda7: `<bpmn:startEvent id="s"/><bpmn:serviceTask id="S1" camunda:class="com.Foo"/>`,
  };
  for (const [name, body] of Object.entries(cases)) {
    const r = await compileBpmn('a.bpmn', wrap(body));
    console.log(name, JSON.stringify(r.ok ? 'OK' : r.errors, null, 1));
  }
  const collab = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d1" targetNamespace="x">
  <bpmn:collaboration id="c"><bpmn:participant id="pa" processRef="p"/><bpmn:participant id="pb" processRef="q"/></bpmn:collaboration>
  <bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>
  <bpmn:process id="q" isExecutable="false"><bpmn:task id="t"/></bpmn:process>
</bpmn:definitions>`;
  const r = await compileBpmn('c.bpmn', collab);
  console.log('collab', r.ok, r.ok ? r.resource.processes.map(p => p.id) : r.errors);
  for (const bad of ['<a><b></a>', 'hello', '<?xml version="1.0"?><foo/>', '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">\n<bpmn:process id="p" isExecutable="true">\n<bpmn:startEvent id="s">\n</bpmn:process></bpmn:definitions>']) {
    const r2 = await compileBpmn('x.bpmn', bad);
    console.log(JSON.stringify(r2));
  }
});
