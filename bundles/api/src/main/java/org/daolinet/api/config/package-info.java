/** The declared network: tenants, VPCs, subnets, hosts, endpoints and the rules network functions enforce. */
package org.daolinet.api.config;
