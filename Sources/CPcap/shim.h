#ifndef FALLBACKLAB_CPCAP_SHIM_H
#define FALLBACKLAB_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
