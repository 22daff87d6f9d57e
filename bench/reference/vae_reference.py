#!/usr/bin/env python3
"""The exercise's PyTorch VAE (Gaussian or MoG prior, Bernoulli likelihood, MLP 784-512-512-2M),
run on the same IDX files as spark-vae, to compare test -ELBO, IWAE NLL and seconds/epoch on the
same machine in the same session. Not part of the product: a yardstick (bench/README.md).

Needs PyTorch (Debian: apt-get install python3-torch, PyTorch 1.13 with OpenBLAS) and numpy.
Usage: /usr/bin/python3 bench/reference/vae_reference.py --data data/mnist --prior gaussian --seed 0
"""
import argparse, gzip, json, math, os, struct, sys, time

import numpy as np
import torch
import torch.distributions as td
import torch.nn as nn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(data_dir, name)
        if os.path.exists(p):
            return p
    sys.exit(f"no {stem}[.gz] in {data_dir}")


class GaussianPrior(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.mean = nn.Parameter(torch.zeros(m), requires_grad=False)
        self.std = nn.Parameter(torch.ones(m), requires_grad=False)

    def forward(self):
        return td.Independent(td.Normal(loc=self.mean, scale=self.std), 1)


class MoGPrior(nn.Module):
    """Trainable means (init N(0,1)), stds exp(log std) (init 1), mixture logits (init equal)."""
    def __init__(self, m, k):
        super().__init__()
        self.means = nn.Parameter(torch.randn(k, m))
        self.log_stds = nn.Parameter(torch.zeros(k, m))
        self.logits = nn.Parameter(torch.zeros(k))

    def forward(self):
        comp = td.Independent(td.Normal(loc=self.means, scale=torch.exp(self.log_stds)), 1)
        return td.MixtureSameFamily(td.Categorical(logits=self.logits), comp)


class VAE(nn.Module):
    def __init__(self, m, prior, arch="mlp"):
        super().__init__()
        self.prior = prior
        if arch == "mlp":
            self.encoder_net = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                                             nn.Linear(512, 2 * m))
            self.decoder_net = nn.Sequential(nn.Linear(m, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 784))
        else:
            # spark-vae's --arch cnn: conv 1->32 and 32->64 (4x4, stride 2, padding 1), dense 3136->512 -> 2M;
            # dense M->512->3136, deconv 64->32 and 32->1 (4x4, stride 2, padding 1), logits flattened to 784.
            self.encoder_net = nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(),
                                             nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 512),
                                             nn.ReLU(), nn.Linear(512, 2 * m))
            self.decoder_net = nn.Sequential(nn.Linear(m, 512), nn.ReLU(), nn.Linear(512, 3136), nn.ReLU(),
                                             nn.Unflatten(1, (64, 7, 7)), nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
                                             nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Flatten())

    def q(self, x):
        mean, log_std = torch.chunk(self.encoder_net(x), 2, dim=-1)
        return td.Independent(td.Normal(loc=mean, scale=torch.exp(log_std)), 1)

    def p_x(self, z):
        # z may carry sample dimensions in front ([k, n, M] for IWAE): the CNN's Unflatten needs [batch, M].
        logits = self.decoder_net(z.reshape(-1, z.shape[-1])).reshape(*z.shape[:-1], 784)
        return td.Independent(td.Bernoulli(logits=logits), 1)

    def neg_elbo_terms(self, x):
        q = self.q(x)
        z = q.rsample()
        recon = -self.p_x(z).log_prob(x)
        if isinstance(self.prior, GaussianPrior):
            kl = td.kl_divergence(q, self.prior())
        else:
            kl = q.log_prob(z) - self.prior().log_prob(z)
        return recon, kl

    def log_weights(self, x, k):
        q = self.q(x)
        z = q.rsample((k,))                      # [k, n, M]
        return self.p_x(z).log_prob(x) + self.prior().log_prob(z) - q.log_prob(z)


def profile_steps(model, opt, x_train, batch, steps, warmup=150):
    """The step as bench/step-profile.sh splits spark-vae's: forward to the loss, backward, optimizer step."""
    batches = [x_train[i * batch:(i + 1) * batch] for i in range(min(50, len(x_train) // batch))]
    phases = []
    def step(i, record):
        x = batches[i % len(batches)]
        t0 = time.perf_counter()
        opt.zero_grad()
        recon, kl = model.neg_elbo_terms(x)
        loss = (recon + kl).mean()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        if record:
            phases.append((t1 - t0, t2 - t1, t3 - t2, t3 - t0))
    model.train()
    for i in range(warmup):
        step(i, False)
    for i in range(steps):
        step(warmup + i, True)
    names = ["forward (to the loss)", "backward", "optimizer step", "step"]
    for k, name in enumerate(names):
        v = sorted(p[k] for p in phases)
        print(f"phase {name:<42} median {1000 * v[len(v) // 2]:7.2f} ms")
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for i in range(steps):
            step(warmup + steps + i, False)
    events = prof.key_averages()
    # Leaf ops only (those with no child op): what runs kernels, comparable to libnd4j's op count.
    print(f"op calls per step (aten ops, all levels): {sum(e.count for e in events) / steps:.1f}")
    print(events.table(sort_by="self_cpu_time_total", row_limit=30))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/mnist")
    ap.add_argument("--prior", default="gaussian", choices=["gaussian", "mog"])
    ap.add_argument("--latent-dim", type=int, default=10)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--iwae", type=int, default=100)
    ap.add_argument("--iwae-images", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's own choice)")
    ap.add_argument("--arch", default="mlp", choices=["mlp", "cnn"])
    ap.add_argument("--train-images", type=int, default=0, help="train on the first N images only (0: all)")
    ap.add_argument("--out")
    ap.add_argument("--profile-steps", type=int, default=0,
                    help="instead of training: time N steps by phase after a warm-up, then list the ops of N steps "
                         "(torch.profiler), for bench/step-profile.sh")
    ap.add_argument("--keep-denormals", action="store_true",
                    help="IEEE gradual underflow (PyTorch's default); without it, subnormals are flushed: PyTorch at its best")
    a = ap.parse_args()
    # FTZ/DAZ, as spark-vae's backend.Denormals sets them: on Intel cores each subnormal operand costs a microcode
    # assist, and the speed issue compares with the peer at its best.
    torch.set_flush_denormal(not a.keep_denormals)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x_train = torch.tensor(read_idx(find(a.data, "train-images-idx3-ubyte")).reshape(-1, 784) / 255.0 > 0.5).float()
    x_test = torch.tensor(read_idx(find(a.data, "t10k-images-idx3-ubyte")).reshape(-1, 784) / 255.0 > 0.5).float()
    if a.train_images > 0:
        x_train = x_train[:a.train_images]
    prior = GaussianPrior(a.latent_dim) if a.prior == "gaussian" else MoGPrior(a.latent_dim, 10)
    model = VAE(a.latent_dim, prior, a.arch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train), batch_size=a.batch_size, shuffle=True)
    if a.profile_steps > 0:
        profile_steps(model, opt, x_train, a.batch_size, a.profile_steps)
        return
    seconds = []
    for epoch in range(a.epochs):
        t0 = time.time()
        total, n = 0.0, 0
        model.train()
        for (x,) in loader:
            opt.zero_grad()
            recon, kl = model.neg_elbo_terms(x)
            loss = (recon + kl).mean()
            loss.backward()
            opt.step()
            total += loss.item() * len(x)
            n += len(x)
        seconds.append(time.time() - t0)
        print(f"epoch {epoch + 1}: train -ELBO {total / n:.3f}, {seconds[-1]:.1f} s", file=sys.stderr, flush=True)
    model.eval()
    with torch.no_grad():
        t_eval = time.time()
        r, k = [], []
        for i in range(0, len(x_test), 1000):
            recon, kl = model.neg_elbo_terms(x_test[i:i + 1000])
            r.append(recon)
            k.append(kl)
        recon, kl = torch.cat(r).double(), torch.cat(k).double()
        eval_seconds = time.time() - t_eval
        t_iwae = time.time()
        nll = []
        for i in range(0, a.iwae_images, 50):
            w = model.log_weights(x_test[i:min(i + 50, a.iwae_images)], a.iwae).double()
            nll.append(-(torch.logsumexp(w, 0) - math.log(a.iwae)))
        nll = torch.cat(nll)
        iwae_seconds = time.time() - t_iwae
    result = {"implementation": "pytorch-" + torch.__version__, "prior": a.prior, "latent_dim": a.latent_dim,
              "arch": a.arch, "steps_per_epoch": len(loader), "eval_seconds": eval_seconds, "iwae_seconds": iwae_seconds,
              "seed": a.seed, "epochs": a.epochs, "test_neg_elbo": (recon + kl).mean().item(),
              "test_recon": recon.mean().item(), "test_kl": kl.mean().item(),
              "test_nll_iwae": nll.mean().item(), "iwae_k": a.iwae, "iwae_n": a.iwae_images,
              "seconds_per_epoch": seconds, "threads": torch.get_num_threads(),
              "denormals": "keep" if a.keep_denormals else "flush"}
    print(json.dumps(result))
    if a.out:
        with open(a.out + ".tmp", "w") as f:
            json.dump(result, f, indent=1)
        os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    main()
