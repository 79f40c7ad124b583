package org.daolinet.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.daolinet.api.config.ConfigKind;
import org.daolinet.api.config.ConfigObject;
import org.daolinet.api.config.Endpoint;
import org.daolinet.api.config.NetworkConfigService;
import org.daolinet.api.config.Subnet;
import org.daolinet.api.config.Tenant;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The network model through the surfaces admins use, in the real container: the README's two-tenant,
 * three-host network over REST, the same kind of work in the shell, and a fuzz run of random and mutated REST
 * bodies that must never cause a 500 nor leave the store inconsistent.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // the fuzz run starts from the worked example
public class NetworkConfigIT extends DaolinetTestSupport {

    /** The README's worked example, in order. */
    static final String[][] EXAMPLE = {
        {"/tenants", "{\"id\":\"acme\",\"name\":\"Acme\"}"},
        {"/tenants", "{\"id\":\"globex\",\"name\":\"Globex\"}"},
        {"/vpcs", "{\"id\":\"acme-prod\",\"tenantId\":\"acme\",\"name\":\"prod\"}"},
        {"/vpcs", "{\"id\":\"globex-prod\",\"tenantId\":\"globex\",\"name\":\"prod\"}"},
        {"/subnets", "{\"id\":\"acme-web\",\"vpcId\":\"acme-prod\",\"name\":\"web\",\"cidr\":\"10.0.0.0/24\","
                + "\"gateway\":\"10.0.0.1\"}"},
        {"/subnets", "{\"id\":\"acme-db\",\"vpcId\":\"acme-prod\",\"name\":\"db\",\"cidr\":\"10.0.1.0/24\","
                + "\"gateway\":\"10.0.1.1\"}"},
        {"/subnets", "{\"id\":\"globex-web\",\"vpcId\":\"globex-prod\",\"name\":\"web\",\"cidr\":\"10.0.0.0/24\","
                + "\"gateway\":\"10.0.0.1\"}"},
        {"/hosts", "{\"id\":\"host1\",\"name\":\"host1\",\"dpid\":\"00:00:00:00:00:00:00:01\",\"underlayPort\":\"eth1\","
                + "\"underlayMac\":\"02:00:c0:a8:32:01\",\"underlayIp\":\"192.168.50.1\",\"underlayMode\":\"l2\"}"},
        {"/hosts", "{\"id\":\"host2\",\"name\":\"host2\",\"dpid\":\"00:00:00:00:00:00:00:02\",\"underlayPort\":\"eth1\","
                + "\"underlayMac\":\"02:00:c0:a8:32:02\",\"underlayIp\":\"192.168.50.2\",\"underlayMode\":\"l2\"}"},
        {"/hosts", "{\"id\":\"host3\",\"name\":\"host3\",\"dpid\":\"00:00:00:00:00:00:00:03\",\"underlayPort\":\"eth1\","
                + "\"underlayMac\":\"02:00:c0:a8:32:03\",\"underlayIp\":\"192.168.50.3\",\"underlayMode\":\"l2\"}"},
        {"/security-groups", "{\"id\":\"acme-web-sg\",\"tenantId\":\"acme\",\"name\":\"web\",\"rules\":["
                + "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"80\",\"remoteCidr\":\"0.0.0.0/0\"},"
                + "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"22\",\"remoteCidr\":\"10.0.0.0/8\"}]}"},
        {"/endpoints", "{\"id\":\"acme-web1\",\"vpcId\":\"acme-prod\",\"subnetId\":\"acme-web\",\"mac\":\"02:00:00:00:00:10\","
                + "\"ip\":\"10.0.0.10\",\"hostId\":\"host1\",\"portName\":\"acme-web1\",\"securityGroupIds\":[\"acme-web-sg\"]}"},
        {"/endpoints", "{\"id\":\"acme-web2\",\"vpcId\":\"acme-prod\",\"subnetId\":\"acme-web\",\"mac\":\"02:00:00:00:00:11\","
                + "\"ip\":\"10.0.0.11\",\"hostId\":\"host2\",\"portName\":\"acme-web2\"}"},
        {"/endpoints", "{\"id\":\"acme-db1\",\"vpcId\":\"acme-prod\",\"subnetId\":\"acme-db\",\"mac\":\"02:00:00:00:01:10\","
                + "\"ip\":\"10.0.1.10\",\"hostId\":\"host3\",\"portName\":\"acme-db1\"}"},
        {"/endpoints", "{\"id\":\"globex-web1\",\"vpcId\":\"globex-prod\",\"subnetId\":\"globex-web\","
                + "\"mac\":\"02:00:00:00:00:10\",\"ip\":\"10.0.0.10\",\"hostId\":\"host1\",\"portName\":\"globex-web1\"}"},
        {"/endpoints", "{\"id\":\"globex-web2\",\"vpcId\":\"globex-prod\",\"subnetId\":\"globex-web\","
                + "\"mac\":\"02:00:00:00:00:11\",\"ip\":\"10.0.0.11\",\"hostId\":\"host3\",\"portName\":\"globex-web2\"}"},
    };

    @Test
    public void step1TwoTenantsThreeHostsOverRestThenShell() throws Exception {
        awaitRest();
        for (String[] step : EXAMPLE) {
            Response r = http("POST", step[0], step[1]);
            assertEquals(step[0] + " " + step[1] + " -> " + r.body(), 201, r.status());
            assertTrue(r.location(), r.location().startsWith("/daolinet/v1" + step[0] + "/"));
        }
        Response endpoints = http("GET", "/endpoints", null);
        assertEquals(200, endpoints.status());
        assertTrue(endpoints.body(), endpoints.body().contains("\"id\":\"globex-web1\""));
        assertEquals(200, http("GET", "/endpoints/acme-web1", null).status());

        // errors an orchestrator gets
        Response dup = http("POST", "/endpoints", EXAMPLE[12][1].replace("\"acme-web2\"", "\"acme-web3\"")
                .replace("\"portName\":\"acme-web3\"", "\"portName\":\"other\"")
                .replace("02:00:00:00:00:11", "02:00:00:00:00:12"));
        assertEquals(dup.body(), 409, dup.status());
        assertTrue(dup.body(), dup.body().contains("\"field\":\"ip\""));
        Response bad = http("POST", "/subnets", "{\"vpcId\":\"acme-prod\",\"name\":\"x\",\"cidr\":\"10.9.0.0/24\","
                + "\"gateway\":\"10.8.0.1\"}");
        assertEquals(400, bad.status());
        assertTrue(bad.body(), bad.body().contains("\"field\":\"gateway\""));
        assertEquals(404, http("GET", "/vpcs/nope", null).status());
        assertEquals(404, http("DELETE", "/vpcs/nope", null).status());
        assertEquals(409, http("DELETE", "/vpcs/acme-prod", null).status());
        assertEquals(405, http("DELETE", "/vpcs", null).status());
        assertEquals(404, http("GET", "/widgets", null).status());
        assertEquals(200, http("PUT", "/tenants/acme", "{\"name\":\"Acme Corp\"}").status());
        assertTrue(http("GET", "/tenants/acme", null).body().contains("Acme Corp"));
        Response openapi = http("GET", "/openapi.json", null);
        assertEquals(200, openapi.status());
        assertTrue(openapi.body().contains("\"/load-balancers/{id}\""));

        // the same model in the shell
        String hosts = execute("daolinet:hosts");
        assertTrue(hosts, hosts.contains("192.168.50.3") && hosts.contains("00:00:00:00:00:00:00:02"));
        assertTrue(hosts, hosts.contains("down")); // declared, but no switch of that datapath id is connected
        String endpointTable = execute("daolinet:endpoints");
        assertTrue(endpointTable, endpointTable.contains("globex-web2") && endpointTable.contains("acme-web-sg"));
        execute("daolinet:links");
        String groups = execute("daolinet:security-groups");
        assertTrue(groups, groups.contains("ingress tcp 80 0.0.0.0/0, ingress tcp 22 10.0.0.0/8"));
        String created = execute("daolinet:tenant-create --id initech Initech");
        assertTrue(created, created.contains("created tenant initech"));
        execute("daolinet:vpc-create --id initech-prod --tenant initech prod");
        execute("daolinet:subnet-create --id initech-web --vpc initech-prod --cidr 10.0.0.0/24 --gateway 10.0.0.1 web");
        String ep = execute("daolinet:endpoint-create --id initech-web1 --vpc initech-prod --subnet initech-web "
                + "--mac 02:00:00:00:00:10 --ip 10.0.0.10 --host host2 --port initech-web1 web1");
        assertTrue(ep, ep.contains("10.0.0.10"));
        NetworkConfigService config = service(NetworkConfigService.class);
        int before = config.list(Endpoint.class).size();
        String overlap = executeExpectingError("daolinet:subnet-create --vpc initech-prod --cidr 10.0.0.128/25 "
                + "--gateway 10.0.0.129 web2");
        assertTrue(overlap, overlap.contains("cidr: 10.0.0.128/25 overlaps subnet initech-web"));
        String badMac = executeExpectingError("daolinet:endpoint-create --vpc initech-prod --subnet initech-web "
                + "--mac 02:00:00:00:00:zz --ip 10.0.0.20 --host host2 --port p2");
        assertTrue(badMac, badMac.contains("mac: '02:00:00:00:00:zz' is not a MAC address"));
        String inUse = executeExpectingError("daolinet:delete vpcs initech-prod");
        assertTrue(inUse, inUse.contains("is still used by"));
        assertEquals(before, config.list(Endpoint.class).size());
        assertEquals(1, config.list(Subnet.class).stream().filter(s -> s.vpcId().equals("initech-prod")).count());
        String shown = execute("daolinet:show endpoints initech-web1");
        assertTrue(shown, shown.contains("\"hostId\" : \"host2\""));
        execute("daolinet:delete endpoints initech-web1");
        execute("daolinet:delete subnets initech-web");
        execute("daolinet:delete vpcs initech-prod");
        execute("daolinet:delete tenants initech");
        String tenants = execute("daolinet:tenants");
        assertFalse(tenants, tenants.contains("initech"));
        assertTrue(tenants, tenants.contains("globex"));
    }

    @Test
    public void step2FuzzedRestBodiesNeverCauseA500() throws Exception {
        awaitRest();
        NetworkConfigService config = service(NetworkConfigService.class);
        for (String[] step : EXAMPLE) {
            http("POST", step[0], step[1]); // present or already there from the other test
        }
        Random random = new Random(Long.getLong("fuzz.seed", 5150L));
        Map<Integer, Integer> statuses = new TreeMap<>();
        int cases = Integer.getInteger("fuzz.cases", 1500);
        for (int i = 0; i < cases; i++) {
            String[] step = EXAMPLE[random.nextInt(EXAMPLE.length)];
            String body = mutate(step[1], random);
            String method = random.nextInt(4) == 0 ? "PUT" : "POST";
            String path = method.equals("PUT") ? step[0] + "/" + idOf(step[1]) : step[0];
            Response r = http(method, path, body);
            statuses.merge(r.status(), 1, Integer::sum);
            assertTrue("case " + i + ": " + method + " " + path + " " + body + " -> " + r.status() + " " + r.body(),
                    r.status() < 500);
            if (r.status() >= 400) {
                assertTrue("errors are JSON with a message: " + r.body(), r.body().startsWith("{\"error\":"));
            }
        }
        assertTrue("fuzzing reached both accepted and refused input: " + statuses,
                statuses.keySet().stream().anyMatch(s -> s < 300) && statuses.containsKey(400));
        // consistency: every stored object still passes full validation against everything else
        for (ConfigKind kind : ConfigKind.values()) {
            for (ConfigObject o : new ArrayList<>(config.list(kind.type()))) {
                config.update(o);
            }
        }
        assertTrue(config.list(Tenant.class).size() >= 2);
    }

    private static String idOf(String json) {
        int i = json.indexOf("\"id\":\"") + 6;
        return json.substring(i, json.indexOf('"', i));
    }

    private static final String[] JUNK = {"null", "true", "-1", "1e309", "\"\"", "[]", "{}", "\"x\"",
        "99999999999999999999", "\"0.0.0.0/0\"", "\"ff:ff:ff:ff:ff:ff\"", "[null]", "{\"a\":1}", "\"\\u0000\""};

    /** A valid body with one field's value replaced, removed or added, or the text itself damaged. */
    static String mutate(String body, Random r) {
        List<int[]> values = new ArrayList<>();
        for (int i = body.indexOf(':'); i >= 0; i = body.indexOf(':', i + 1)) {
            int end = i + 1;
            if (body.charAt(end) == '"') {
                end = body.indexOf('"', end + 1) + 1;
            } else {
                while (end < body.length() && ",}]".indexOf(body.charAt(end)) < 0) {
                    end++;
                }
            }
            if (end > i + 1 && body.charAt(i - 1) == '"') {
                values.add(new int[] {i + 1, end});
            }
        }
        switch (r.nextInt(6)) {
            case 0, 1, 2 -> {
                if (values.isEmpty()) {
                    return body;
                }
                int[] v = values.get(r.nextInt(values.size()));
                return body.substring(0, v[0]) + JUNK[r.nextInt(JUNK.length)] + body.substring(v[1]);
            }
            case 3 -> {
                return body.substring(0, r.nextInt(body.length()));
            }
            case 4 -> {
                char[] chars = body.toCharArray();
                for (int k = 0; k < 3; k++) {
                    chars[r.nextInt(chars.length)] = (char) (32 + r.nextInt(95));
                }
                return new String(chars);
            }
            default -> {
                return "[".repeat(2000 + r.nextInt(3000));
            }
        }
    }
}
