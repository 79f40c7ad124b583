package org.daolinet.bench;

import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The network of the {@code vpc} scenario, computed the same way by the controller launcher (which declares it)
 * and by the benchmark (which sends PacketIns between its endpoints). Tenants each have VPCs, each VPC the same
 * subnets (tenants' address spaces overlap, as in real clouds); endpoints are spread round-robin over subnets and
 * over hosts. Each host is one switch; the first {@code connectedHosts} are the emulated switches, the others
 * exist only in the configuration (hosts that are down). Port 1 of every host is its underlay uplink, endpoints
 * take ports 2, 3, ... named like the switch emulator's ports.
 */
record VpcLayout(int connectedHosts, int endpoints, int tenants, int vpcsPerTenant, int subnetsPerVpc,
        int maxEndpointsPerHost) {

    static final long FIRST_DPID = 0x1000;

    VpcLayout {
        if (connectedHosts < 1 || endpoints < 2 || tenants < 1 || vpcsPerTenant < 1 || subnetsPerVpc < 1
                || subnetsPerVpc > 200 || maxEndpointsPerHost < 1 || maxEndpointsPerHost > 900) {
            throw new IllegalArgumentException("bad vpc layout " + connectedHosts + "/" + endpoints + "/" + tenants
                    + "/" + vpcsPerTenant + "/" + subnetsPerVpc + "/" + maxEndpointsPerHost);
        }
    }

    static VpcLayout of(int switches, int endpoints) {
        return new VpcLayout(switches, endpoints, 4, 2, 2, 500);
    }

    /** Command-line form, shared by both processes: {@code switches,endpoints,tenants,vpcs,subnets,perHost}. */
    String spec() {
        return connectedHosts + "," + endpoints + "," + tenants + "," + vpcsPerTenant + "," + subnetsPerVpc + ","
                + maxEndpointsPerHost;
    }

    static VpcLayout parse(String spec) {
        String[] p = spec.split(",");
        if (p.length != 6) {
            throw new IllegalArgumentException("layout '" + spec + "': want switches,endpoints,tenants,vpcs,subnets,"
                    + "perHost");
        }
        return new VpcLayout(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                Integer.parseInt(p[3]), Integer.parseInt(p[4]), Integer.parseInt(p[5]));
    }

    int vpcs() {
        return tenants * vpcsPerTenant;
    }

    int subnets() {
        return vpcs() * subnetsPerVpc;
    }

    int hosts() {
        return Math.max(connectedHosts, (endpoints + maxEndpointsPerHost - 1) / maxEndpointsPerHost);
    }

    // ---- identities ---------------------------------------------------------------------------------------------

    static String tenantId(int t) {
        return "t" + t;
    }

    int vpcOfSubnet(int s) {
        return s / subnetsPerVpc;
    }

    int tenantOfVpc(int v) {
        return v / vpcsPerTenant;
    }

    static String vpcId(int v) {
        return "v" + v;
    }

    static String subnetId(int s) {
        return "s" + s;
    }

    /** Each VPC's subnets are 10.0.0.0/16, 10.1.0.0/16, ...: the same addresses in every VPC. */
    int subnetBase(int s) {
        return 0x0A00_0000 | (s % subnetsPerVpc) << 16;
    }

    static String hostId(int h) {
        return "h" + h;
    }

    static DatapathId dpid(int h) {
        return DatapathId.of(FIRST_DPID + h);
    }

    static String portName(int h, int port) {
        return String.format("s%x-eth%d", FIRST_DPID + h, port);
    }

    static long hostMac(int h) {
        return 0x02FF_0000_0000L | h;
    }

    static int hostIp(int h) {
        return 0xC0A8_0000 | (1 + h / 250) << 8 | (1 + h % 250);
    }

    static String endpointId(int i) {
        return "e" + i;
    }

    /*
     * Endpoint i sits in row k = i / subnets() at column s = i % subnets(): its subnet is s, its address the k-th
     * of that subnet, its host k % hosts(). So every subnet spans every host, and host h holds whole rows
     * h, h + hosts(), h + 2 hosts() ... with one port per endpoint.
     */

    int subnetOf(int i) {
        return i % subnets();
    }

    int hostOf(int i) {
        return (i / subnets()) % hosts();
    }

    int portOf(int i) {
        return 2 + (i / subnets() / hosts()) * subnets() + i % subnets();
    }

    /** Unique in the whole network, although only the VPC requires it. */
    static long mac(int i) {
        return 0x0200_0000_0000L | (i + 1);
    }

    int ip(int i) {
        return subnetBase(subnetOf(i)) + 2 + i / subnets();
    }

    private int rows() {
        return (endpoints + subnets() - 1) / subnets();
    }

    /** Ports of each connected switch: the uplink plus its endpoints' ports. */
    int portsPerHost() {
        return 1 + (rows() + hosts() - 1) / hosts() * subnets();
    }

    /** How many endpoints are on host {@code h}. */
    int endpointsOn(int h) {
        int fullRows = endpoints / subnets();
        int full = h < fullRows ? (fullRows - h + hosts() - 1) / hosts() : 0;
        int partial = endpoints % subnets() != 0 && fullRows % hosts() == h ? endpoints % subnets() : 0;
        return full * subnets() + partial;
    }

    /** The {@code j}-th endpoint of host {@code h}, for j below {@link #endpointsOn(int)}. */
    int endpointOn(int h, int j) {
        return (h + (j / subnets()) * hosts()) * subnets() + j % subnets();
    }
}
