/**
 * The OpenFlow southbound as seen by the rest of DaoliNet: connected switches, and whiteboard listeners for what
 * they report. OpenFlowJ-Loxi types are the vocabulary.
 */
package org.daolinet.api.openflow;
