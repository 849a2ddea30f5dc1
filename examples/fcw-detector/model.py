"""A small CenterNet-style detector: a MobileNet-like backbone (depthwise-separable blocks), a two-step upsampling neck
and three heads at stride 4 -- per-class centre heatmap (sigmoid), box size in input pixels (exp), centre offset."""
import torch
from torch import nn
import torch.nn.functional as F

LABELS = ["vehicle", "pedestrian"]
INPUT_W, INPUT_H = 256, 144
STRIDE = 4


def conv_bn(cin, cout, k=3, s=1, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Block(nn.Module):
    """Depthwise 3x3 then pointwise 1x1, with a residual when the shape allows."""

    def __init__(self, cin, cout, s=1):
        super().__init__()
        self.dw = conv_bn(cin, cin, 3, s, groups=cin)
        self.pw = conv_bn(cin, cout, 1)
        self.residual = s == 1 and cin == cout

    def forward(self, x):
        y = self.pw(self.dw(x))
        return x + y if self.residual else y


class FcwNet(nn.Module):
    def __init__(self, classes=len(LABELS), c=(24, 48, 96, 160)):
        super().__init__()
        self.stem = conv_bn(3, c[0], 3, 2)  # /2
        self.s4 = nn.Sequential(Block(c[0], c[1], 2), Block(c[1], c[1]))  # /4
        self.s8 = nn.Sequential(Block(c[1], c[2], 2), Block(c[2], c[2]), Block(c[2], c[2]))  # /8
        self.s16 = nn.Sequential(Block(c[2], c[3], 2), Block(c[3], c[3]), Block(c[3], c[3]))  # /16
        self.lat16 = conv_bn(c[3], c[2], 1)
        self.fuse8 = Block(c[2], c[2])
        self.lat8 = conv_bn(c[2], c[1], 1)
        self.fuse4 = Block(c[1], c[1])
        head = lambda out: nn.Sequential(conv_bn(c[1], c[1], 3), nn.Conv2d(c[1], out, 1))
        self.heat = head(classes)
        self.size = head(2)
        self.offset = head(2)
        # Heatmaps start near 0.01 so the focal loss is not swamped by the background at first (as CenterNet does).
        nn.init.constant_(self.heat[-1].bias, -4.6)

    def forward(self, x):
        x4 = self.s4(self.stem(x))
        x8 = self.s8(x4)
        x16 = self.s16(x8)
        y8 = self.fuse8(x8 + F.interpolate(self.lat16(x16), scale_factor=2.0, mode="nearest"))
        y4 = self.fuse4(x4 + F.interpolate(self.lat8(y8), scale_factor=2.0, mode="nearest"))
        heat = torch.sigmoid(self.heat(y4))
        # Sizes are learnt as log(pixels / stride): one scale for a 10 px pedestrian and a 200 px truck.
        size = torch.exp(self.size(y4).clamp(-4.0, 6.0)) * STRIDE
        offset = torch.sigmoid(self.offset(y4))
        return heat, size, offset


def count_params(model):
    return sum(p.numel() for p in model.parameters())
