"""Which address the room is served on when it is opened to the local network (`--lan`).

Phones on the same Wi-Fi (or the facilitator's phone hotspot) reach the laptop
by its private address on the physical adapter. A laptop often has others: a
VPN's, a container bridge's, a virtual machine's. Those are set aside, by the
interface's name and by the address's range, and the address is put in the
join link as digits (Android does not resolve `.local` names).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Iterable

VIRTUAL = (
    "docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "virtualbox", "vmware", "hyper-v", "vethernet",
    "tun", "tap", "wg", "utun", "tailscale", "zt", "zerotier", "ppp", "ipsec", "gif", "stf", "awdl", "llw",
    "hamachi", "nordlynx", "proton", "openvpn", "wireguard", "cni", "flannel", "cali", "kube", "lxc", "lxd",
    "podman", "anpi", "bridge", "npcap", "loopback", "ifb",
)  # fmt: skip
"""Parts of the names of interfaces that are not the laptop's own network card."""
PHYSICAL = ("wi-fi", "wifi", "wlan", "wlp", "wl", "en", "eth", "ethernet")
"""Names of physical adapters, preferred when there is a choice."""


@dataclass(frozen=True)
class Candidate:
    interface: str
    address: str


def is_virtual(name: str) -> bool:
    folded = name.casefold()
    return folded == "lo" or folded.startswith("lo0") or any(part in folded for part in VIRTUAL)


def usable(address: str) -> bool:
    """A private IPv4 address a phone on the same network can reach (not loopback, not link-local)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    return ip.version == 4 and ip.is_private and not ip.is_loopback and not ip.is_link_local


def candidates(interfaces: Iterable[tuple[str, bool, Iterable[str]]]) -> list[Candidate]:
    """Usable addresses from (interface name, is up, addresses), best first."""
    found = []
    for name, up, addresses in interfaces:
        if not up or is_virtual(name):
            continue
        for address in addresses:
            if usable(address):
                found.append(Candidate(name, address))

    def rank(candidate: Candidate) -> tuple[int, str]:
        folded = candidate.interface.casefold()
        return (0 if folded.startswith(PHYSICAL) else 1, candidate.interface)

    return sorted(found, key=rank)


def system_interfaces() -> list[tuple[str, bool, list[str]]]:
    """This machine's interfaces, from psutil (Linux, macOS and Windows alike)."""
    import socket

    import psutil

    stats = psutil.net_if_stats()
    rows = []
    for name, addresses in psutil.net_if_addrs().items():
        up = stats[name].isup if name in stats else False
        rows.append((name, up, [a.address for a in addresses if a.family == socket.AF_INET]))
    return rows


def lan_address() -> Candidate | None:
    """The physical adapter's private address, or None when the machine has none."""
    found = candidates(system_interfaces())
    return found[0] if found else None
