"""NIR interchange: :func:`to_nir` and :func:`from_nir` (needs the ``nir`` package).

NIR describes neurons in continuous time and leaves discretisation to each backend. Ours, for a
time step ``dt`` (seconds), with ``α = exp(−dt/τ_mem)``, ``β = exp(−dt/τ_syn)``:

======================  ===================================================================
rockpool_nb             NIR
======================  ===================================================================
``Linear`` (W, b)       ``Affine(weight=Wᵀ, bias=b)`` (``Linear(Wᵀ)`` without bias)
``LIF`` (one synapse)   ``CubaLIF(tau_syn, tau_mem, r=τ_mem·α/dt, v_leak=bias/(1−α),
                        v_threshold=threshold, v_reset=0, w_in=1)``; ``w_rec`` is a
                        ``Linear(w_recᵀ)`` node with edges from and back to the neurons
``ExpSyn``              ``LI(tau, r=τ·β/dt, v_leak=0)``
``Rate``                ``LI(tau, r=1, v_leak=bias)`` with the activation and threshold in the
                        node's metadata (NIR 1.0 has no rate nonlinearity)
``Sequential``          a chain of nodes between ``Input`` and ``Output``
(import only)           ``LIF``/``IF`` (no synaptic current): our ``LIF`` with a synapse 20×
                        faster than ``dt`` and its input scaled so each step's input reaches
                        the membrane at once (error below 3·10⁻⁹); ``IF`` has no leak
======================  ===================================================================

``r`` follows Rockpool's convention, so files exchanged with Rockpool keep their scale. On import,
an ``r`` (times ``w_in``) different from this convention is an input gain, folded into the
weights of the preceding ``Affine``/``Linear`` node. ``dt`` comes from the ``dt=`` argument, else
from the file's metadata (written by :func:`to_nir`), else Rockpool's estimate
``min(τ/(1 + r))``. NIR neurons spike when ``v > θ`` and reset *to* ``v_reset``; ours emit
several spikes per step and reset by subtraction, so foreign spiking graphs run approximately.
"""

from __future__ import annotations

import numpy as np

__all__ = ["to_nir", "from_nir"]


def _nir():
    try:
        import nir
    except ImportError as err:
        raise ImportError(
            "NIR interchange needs the nir package: pip install 'rockpool_nb[nir]'"
        ) from err
    return nir


def _flat_modules(net) -> list:
    from rockpool_nb.nn.combinators.residual import ModResidual
    from rockpool_nb.nn.combinators.sequential import ModSequential

    if isinstance(net, ModResidual):
        raise ValueError(
            f"to_nir: {net.full_name.strip()} is a Residual: NIR export of skip connections "
            "is not supported yet"
        )
    if isinstance(net, ModSequential):
        out = []
        for sub in net._submodules.values():
            out.extend(_flat_modules(sub))
        return out
    return [net]


def _r0(tau, dt):
    return tau * np.exp(-dt / tau) / dt


def to_nir(net):
    """A ``nir.NIRGraph`` of ``net`` (``Linear``, ``LIF`` with one synapse per neuron,
    ``ExpSyn``, ``Rate`` in ``Sequential`` chains). Unsupported modules raise ``ValueError``
    naming the module and its class."""
    from rockpool_nb.graph.converters import ACTIVATION_NAMES
    from rockpool_nb.nn.modules import LIF, ExpSyn, Linear, Rate

    nir = _nir()
    mods = _flat_modules(net)
    nodes = {"input": nir.Input(input_type={"input": np.array([mods[0].size_in])})}
    edges = []
    prev = "input"
    dts = []
    for i, mod in enumerate(mods):
        name = f"{i}_{mod.class_name}"
        where = f"to_nir: module {i} ({mod.class_name})"
        if isinstance(mod, Linear):
            w = np.array(mod.weight, dtype=float).T
            if np.isscalar(mod.bias) and mod.bias == 0:
                node = nir.Linear(weight=w, metadata={"rockpool_nb_class": mod.class_name})
            else:
                node = nir.Affine(
                    weight=w,
                    bias=np.array(mod.bias, dtype=float),
                    metadata={"rockpool_nb_class": mod.class_name},
                )
        elif isinstance(mod, LIF):
            if mod.n_synapses != 1:
                raise ValueError(
                    f"{where}: has {mod.n_synapses} synapses per neuron; NIR's CubaLIF has one"
                )
            n, dt = mod.size_out, float(mod.dt)
            tau_mem = np.broadcast_to(np.array(mod.tau_mem, float), (n,)).copy()
            tau_syn = np.broadcast_to(np.array(mod.tau_syn, float).reshape(-1), (n,)).copy()
            alpha = np.exp(-dt / tau_mem)
            bias = np.broadcast_to(np.array(mod.bias, float), (n,))
            node = nir.CubaLIF(
                tau_syn=tau_syn,
                tau_mem=tau_mem,
                r=_r0(tau_mem, dt),
                v_leak=bias / (1 - alpha),
                v_threshold=np.broadcast_to(np.array(mod.threshold, float), (n,)).copy(),
                v_reset=np.zeros(n),
                w_in=np.ones(n),
                metadata={
                    "rockpool_nb_class": mod.class_name,
                    "dt": dt,
                    "max_spikes_per_dt": float(mod.max_spikes_per_dt),
                    "reset": "subtractive",
                },
            )
            dts.append(dt)
            if mod._has_rec:
                nodes[f"{name}_rec"] = nir.Linear(weight=np.array(mod.w_rec, float).T)
                edges += [(name, f"{name}_rec"), (f"{name}_rec", name)]
        elif isinstance(mod, ExpSyn):
            n, dt = mod.size_out, float(mod.dt)
            tau = np.broadcast_to(np.array(mod.tau, float), (n,)).copy()
            node = nir.LI(
                tau=tau,
                r=_r0(tau, dt),
                v_leak=np.zeros(n),
                metadata={"rockpool_nb_class": mod.class_name, "dt": dt},
            )
            dts.append(dt)
        elif isinstance(mod, Rate):
            if mod.has_rec:
                raise ValueError(f"{where}: recurrent Rate layers have no NIR export yet")
            if mod.act_fn not in ACTIVATION_NAMES:
                raise ValueError(f"{where}: only named activations (relu, tanh, sigmoid) export")
            n, dt = mod.size_out, float(mod.dt)
            node = nir.LI(
                tau=np.broadcast_to(np.array(mod.tau, float), (n,)).copy(),
                r=np.ones(n),
                v_leak=np.broadcast_to(np.array(mod.bias, float), (n,)).copy(),
                metadata={
                    "rockpool_nb_class": mod.class_name,
                    "dt": dt,
                    "activation": ACTIVATION_NAMES[mod.act_fn],
                    "threshold": np.broadcast_to(np.array(mod.threshold, float), (n,)).tolist(),
                },
            )
            dts.append(dt)
        else:
            raise ValueError(
                f"{where}: has no NIR equivalent (supported: Linear, LIF, ExpSyn, Rate)"
            )
        nodes[name] = node
        edges.append((prev, name))
        prev = name
    nodes["output"] = nir.Output(output_type={"output": np.array([mods[-1].size_out])})
    edges.append((prev, "output"))
    meta = {"rockpool_nb": True}
    if dts:
        meta["dt"] = float(min(dts))
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata=meta)


def from_nir(graph, dt: float | None = None):
    """A ``rockpool_nb`` network from a ``nir.NIRGraph`` (or a file path): a chain of
    ``Affine``/``Linear``, ``CubaLIF`` (with recurrent weight loops), ``LI`` nodes between
    ``Input`` and ``Output``. Nodes that do not map raise ``ValueError`` naming the node and
    its type."""
    from rockpool_nb.nn.combinators import Sequential

    nir = _nir()
    if isinstance(graph, (str,)) or hasattr(graph, "__fspath__"):
        graph = nir.read(graph)
    if not isinstance(graph, nir.NIRGraph):
        raise TypeError(f"graph: expected a nir.NIRGraph or a path; got {type(graph).__name__}")
    nodes, edges = graph.nodes, [tuple(e) for e in graph.edges]
    succ: dict[str, list[str]] = {k: [] for k in nodes}
    pred: dict[str, list[str]] = {k: [] for k in nodes}
    for a, b in edges:
        for end in (a, b):
            if end not in nodes:
                raise ValueError(f"from_nir: edge {(a, b)} names an unknown node {end!r}")
        succ[a].append(b)
        pred[b].append(a)
    inputs = [k for k, v in nodes.items() if isinstance(v, nir.Input)]
    outputs = [k for k, v in nodes.items() if isinstance(v, nir.Output)]
    if len(inputs) != 1 or len(outputs) != 1:
        raise ValueError(
            f"from_nir: expected one Input and one Output node; got {inputs} and {outputs}"
        )
    # recurrent weights: a Linear/Affine node fed only by X and feeding only X
    recurrent: dict[str, str] = {}
    for k, v in nodes.items():
        if isinstance(v, (nir.Linear, nir.Affine)) and len(succ[k]) == 1 and pred[k] == succ[k]:
            recurrent[succ[k][0]] = k
    rec_nodes = set(recurrent.values())
    dt = _dt(graph, nodes, dt)

    chain = []
    current = inputs[0]
    seen = {current}
    while current != outputs[0]:
        nxt = [s for s in succ[current] if s not in rec_nodes and s != current]
        if len(nxt) != 1:
            raise ValueError(
                f"from_nir: node {current!r} feeds {nxt}; only chains (and recurrent weight "
                "loops) are supported"
            )
        current = nxt[0]
        if current in seen:
            raise ValueError(f"from_nir: the graph loops back to node {current!r}")
        seen.add(current)
        if current == outputs[0]:
            break
        mod = _module(nir, current, nodes[current], dt, recurrent.get(current), nodes)
        if isinstance(mod, tuple):  # a neuron node with an input gain to fold
            mod, gain = mod
            if not np.allclose(gain, 1.0):
                if not chain or chain[-1].class_name not in ("Linear", "LinearJax", "LinearTorch"):
                    raise ValueError(
                        f"from_nir: node {current!r} ({type(nodes[current]).__name__}) has an "
                        "input gain (r·w_in differs from our convention) but no preceding "
                        "Affine/Linear node to fold it into"
                    )
                chain[-1].weight = np.array(chain[-1].weight) * gain[None, :]
        chain.append(mod)
    if not chain:
        raise ValueError("from_nir: the graph has no computing nodes between Input and Output")
    return chain[0] if len(chain) == 1 else Sequential(*chain)


def _dt(graph, nodes, dt):
    if dt is not None:
        if not dt > 0:
            raise ValueError(f"dt: expected a positive time step in seconds; got {dt!r}")
        return float(dt)
    meta = getattr(graph, "metadata", {}) or {}
    if "dt" in meta:
        return float(np.asarray(meta["dt"]))
    import nir

    estimates = []
    for v in nodes.values():
        if isinstance(v, nir.CubaLIF):
            estimates.append(np.min(np.asarray(v.tau_mem) / (1 + np.asarray(v.r))))
        elif isinstance(v, nir.LI):
            estimates.append(np.min(np.asarray(v.tau) / (1 + np.asarray(v.r))))
    return float(min(estimates)) if estimates else 1e-3


def _cls(meta, default):
    import rockpool_nb.nn.modules as modules

    name = (meta or {}).get("rockpool_nb_class")
    cls = getattr(modules, str(name), None) if name is not None else None
    return cls if isinstance(cls, type) and issubclass(cls, default) else default


def _module(nir, name, node, dt, rec_name, nodes):
    from rockpool_nb.nn.modules import LIF, ExpSyn, Linear, Rate

    meta = getattr(node, "metadata", {}) or {}
    if isinstance(node, (nir.Affine, nir.Linear)):
        w = np.asarray(node.weight, dtype=float).T
        bias = np.asarray(node.bias, dtype=float) if isinstance(node, nir.Affine) else None
        return _cls(meta, Linear)((w.shape[0], w.shape[1]), weight=w, bias=bias)
    if isinstance(node, nir.CubaLIF):
        tau_mem = np.asarray(node.tau_mem, dtype=float).reshape(-1)
        tau_syn = np.asarray(node.tau_syn, dtype=float).reshape(-1)
        n = tau_mem.size
        alpha = np.exp(-dt / tau_mem)
        v_reset = np.asarray(node.v_reset if node.v_reset is not None else 0.0, dtype=float)
        if np.any(v_reset != 0):
            raise ValueError(
                f"from_nir: node {name!r} (CubaLIF) resets to v_reset={v_reset}; our neurons "
                "reset by subtraction, which equals NIR's reset only for v_reset = 0"
            )
        kwargs = dict(
            tau_mem=tau_mem,
            tau_syn=tau_syn.reshape(n, 1),
            bias=np.broadcast_to(np.asarray(node.v_leak, float), (n,)) * (1 - alpha),
            threshold=np.broadcast_to(np.asarray(node.v_threshold, float), (n,)).copy(),
            dt=dt,
        )
        if "max_spikes_per_dt" in meta:
            kwargs["max_spikes_per_dt"] = float(np.asarray(meta["max_spikes_per_dt"]))
        if rec_name is not None:
            kwargs.update(has_rec=True, w_rec=np.asarray(nodes[rec_name].weight, float).T)
        gain = np.broadcast_to(
            np.asarray(node.w_in, float) * np.asarray(node.r, float) / (_r0(tau_mem, dt)), (n,)
        )
        return _cls(meta, LIF)(n, **kwargs), gain
    if isinstance(node, (nir.LIF, nir.IF)):
        # no synaptic current: our LIF with a synapse 20x faster than dt (β = e^−20), its
        # input scaled by (1 − β)/β, so each step's input reaches the membrane at once (the
        # remainder, β relative, is below 3e-9)
        n = np.asarray(node.v_threshold, dtype=float).size
        if isinstance(node, nir.LIF):
            tau_mem = np.broadcast_to(np.asarray(node.tau, float), (n,)).copy()
            alpha = np.exp(-dt / tau_mem)
            gain_mem = np.asarray(node.r, float) / _r0(tau_mem, dt)
            bias = np.broadcast_to(np.asarray(node.v_leak, float), (n,)) * (1 - alpha)
        else:  # IF: no leak; v̇ = R·I, i.e. R·dt per step
            tau_mem = np.full(n, 1e12)
            gain_mem = np.asarray(node.r, float) * dt
            bias = np.zeros(n)
        v_reset = np.asarray(node.v_reset if node.v_reset is not None else 0.0, dtype=float)
        if np.any(v_reset != 0):
            raise ValueError(
                f"from_nir: node {name!r} ({type(node).__name__}) resets to v_reset={v_reset}; "
                "our neurons reset by subtraction, which equals NIR's reset only for v_reset = 0"
            )
        tau_syn = dt / 20.0
        beta = np.exp(-20.0)
        gain = np.broadcast_to(gain_mem * (1 - beta) / beta, (n,))
        kwargs = dict(
            tau_mem=tau_mem,
            tau_syn=np.full((n, 1), tau_syn),
            bias=bias,
            threshold=np.broadcast_to(np.asarray(node.v_threshold, float), (n,)).copy(),
            dt=dt,
        )
        if rec_name is not None:
            w_rec = np.asarray(nodes[rec_name].weight, float).T * gain[None, :]
            kwargs.update(has_rec=True, w_rec=w_rec)
        return LIF(n, **kwargs), gain
    if rec_name is not None:
        raise ValueError(
            f"from_nir: node {name!r} ({type(node).__name__}) has a recurrent loop; only CubaLIF "
            "neurons can be recurrent"
        )
    if isinstance(node, nir.LI):
        tau = np.asarray(node.tau, dtype=float).reshape(-1)
        n = tau.size
        if "activation" in meta:  # a Rate layer written by to_nir
            from rockpool_nb.nn.modules.activations import H_ReLU, H_sigmoid, H_tanh

            act = {"relu": H_ReLU, "tanh": H_tanh, "sigmoid": H_sigmoid}[str(meta["activation"])]
            rate = _cls(meta, Rate)(
                n,
                tau=tau,
                bias=np.asarray(node.v_leak, float).reshape(-1),
                threshold=np.asarray(meta.get("threshold", 0.0), float),
                activation_func=act,
                dt=dt,
            )
            return rate, np.broadcast_to(np.asarray(node.r, float), (n,))
        if np.any(np.asarray(node.v_leak, float) != 0):
            raise ValueError(
                f"from_nir: node {name!r} (LI) has a non-zero v_leak; it maps to ExpSyn, "
                "which has no bias"
            )
        return _cls(meta, ExpSyn)(n, tau=tau, dt=dt), np.asarray(node.r, float) / _r0(tau, dt)
    raise ValueError(
        f"from_nir: node {name!r} of type {type(node).__name__} has no rockpool_nb equivalent "
        "(supported: Input, Output, Affine, Linear, CubaLIF, LIF, IF, LI; an integrator I "
        "outputs its membrane, which a spiking layer does not)"
    )
