#!/bin/bash
# First-packet cost in the demo lab (run after `demo/daolinet-demo.sh up`, as root): for each same-VPC pair, the
# first ping RTT (flows set up by the controller) against the later ones, after the flows idled out.
# usage: demo/first-packet.sh ROUNDS FLUSH_ARP(0|1)   prints "same|cross RTT1 RTT2 ..." per pair
declare -A IP=( [acme-web1]=10.0.0.10 [acme-web2]=10.0.0.11 [acme-web3]=10.0.0.12 [acme-web4]=10.0.0.13
                [globex-web1]=10.0.0.10 [globex-web2]=10.0.0.11 [globex-web3]=10.0.0.12 )
declare -A HOST=( [acme-web1]=1 [acme-web2]=2 [acme-web3]=3 [acme-web4]=1 [globex-web1]=1 [globex-web2]=3 [globex-web3]=2 )
PAIRS=(acme-web1:acme-web2 acme-web1:acme-web3 acme-web1:acme-web4 acme-web2:acme-web3 acme-web2:acme-web4 acme-web3:acme-web4
       globex-web1:globex-web2 globex-web1:globex-web3 globex-web2:globex-web3)
for r in $(seq "$1"); do
  sleep 12   # connection flows idle out (10 s)
  for ns in "${!IP[@]}"; do [ "$2" = 1 ] && ip netns exec $ns ip neigh flush all; done
  for p in "${PAIRS[@]}"; do
    a=${p%%:*}; b=${p##*:}
    kind=cross; [ "${HOST[$a]}" = "${HOST[$b]}" ] && kind=same
    rtts=$(ip netns exec $a ping -n -c 6 -i 0.2 -W 1 ${IP[$b]} | grep -o 'time=[0-9.]*' | cut -d= -f2 | tr '\n' ' ')
    echo "$kind $rtts"
  done
done
